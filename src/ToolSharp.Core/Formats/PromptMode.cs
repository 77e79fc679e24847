using System.Text;
using ToolSharp.Core.Messages;
using ToolSharp.Core.Tools;

namespace ToolSharp.Core.Formats;

/// <summary>Turns a tool-calling conversation into plain chat for prompt mode: tools described in the system prompt in
/// the chosen format, earlier calls written as text in that format, tool results as user turns.</summary>
/// <remarks>
/// Prompt mode must work with servers and templates that know nothing of tools, so nothing in the result uses the
/// tool API: no <c>tools</c>, no <c>tool_calls</c>, no <c>tool</c> role (many templates reject a tool turn that does not
/// answer a structured call). Results are wrapped in <c>&lt;tool_response&gt;</c> tags, the convention Hermes-style
/// models were trained on and a clear delimiter for the others.
/// </remarks>
public static class PromptMode
{
    /// <summary>Reads a prompt-mode reply: content, reasoning and calls in <paramref name="format"/>, typed and checked against the offered tools.</summary>
    public static ParsedOutput Read(string text, ToolCallFormat format, IReadOnlyList<ToolSpec> tools) => format.Parse(text, tools);

    public static Conversation Prepare(Conversation conversation, ToolCallFormat format)
    {
        var messages = new List<Message>();
        var toolText = conversation.Tools.Count > 0 ? format.DescribeTools(conversation.Tools) : null;
        var i = 0;
        var system = new StringBuilder();
        while (i < conversation.Messages.Count && conversation.Messages[i].Role == ChatRole.System)
        {
            if (system.Length > 0) system.Append("\n\n");
            system.Append(conversation.Messages[i++].Content);
        }
        if (toolText is not null)
        {
            if (system.Length > 0) system.Append("\n\n");
            system.Append(toolText);
        }
        if (system.Length > 0) messages.Add(Message.System(system.ToString()));

        for (; i < conversation.Messages.Count; i++)
        {
            var m = conversation.Messages[i];
            switch (m.Role)
            {
                case ChatRole.Assistant:
                    messages.Add(Message.Assistant(format.FormatTurn(m.Content, m.ToolCalls), reasoning: m.ReasoningContent));
                    break;
                case ChatRole.Tool:
                    var sb = new StringBuilder();
                    for (; i < conversation.Messages.Count && conversation.Messages[i].Role == ChatRole.Tool; i++)
                    {
                        if (sb.Length > 0) sb.Append('\n');
                        sb.Append("<tool_response>\n").Append(conversation.Messages[i].Content).Append("\n</tool_response>");
                    }
                    i--;
                    messages.Add(Message.User(sb.ToString()));
                    break;
                default:
                    messages.Add(m with { ToolCalls = [] });
                    break;
            }
        }
        return new Conversation(messages);
    }
}
