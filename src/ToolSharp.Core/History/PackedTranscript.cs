using System.Text;
using ToolSharp.Core.Formats;
using ToolSharp.Core.Messages;

namespace ToolSharp.Core.History;

/// <summary>Packs a dialogue into one user message: the <c>packed</c> multi-turn construction.</summary>
/// <remarks>
/// Leading system messages stay as they are; every other message becomes a titled section of a transcript, tool calls
/// written in the given format so the model sees the same call syntax it is asked to produce. A conversation whose
/// only non-system message is one user message is left unchanged: single-turn prompts are identical under both
/// constructions, so the factor only affects multi-turn episodes.
/// </remarks>
public static class PackedTranscript
{
    public const string Preamble = "Here is the conversation so far. Continue it as the assistant.";

    public static Conversation Pack(Conversation conversation, ToolCallFormat? callFormat = null)
    {
        callFormat ??= ToolCallFormats.Hermes;
        var messages = conversation.Messages;
        var head = messages.TakeWhile(m => m.Role == ChatRole.System).ToList();
        var body = messages.Skip(head.Count).ToList();
        if (body.Count == 0 || (body.Count == 1 && body[0].Role == ChatRole.User)) return conversation;

        var sb = new StringBuilder(Preamble);
        foreach (var m in body)
        {
            sb.Append("\n\n### ").Append(Title(m)).Append('\n');
            if (m.ReasoningContent is not null) sb.Append(ReasoningSplitter.Open).Append(m.ReasoningContent).Append(ReasoningSplitter.Close).Append('\n');
            sb.Append(m.Role == ChatRole.Assistant ? callFormat.FormatTurn(m.Content, m.ToolCalls) : m.Content ?? "");
        }
        return conversation.WithMessages([.. head, Message.User(sb.ToString())]);
    }

    private static string Title(Message m) => m.Role switch
    {
        ChatRole.User => "User",
        ChatRole.Assistant => "Assistant",
        ChatRole.Tool => m.ToolCallId is null ? $"Tool result ({m.Name})" : $"Tool result ({m.Name}, call {m.ToolCallId})",
        _ => "System",
    };
}
