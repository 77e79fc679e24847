using System.Text;
using System.Text.Json;
using ToolSharp.Core.Formats;
using ToolSharp.Core.Json;
using ToolSharp.Core.Messages;
using ToolSharp.Core.Tools;

namespace ToolSharp.Text.Builtin;

/// <summary>The chat format of the built-in models, rendered directly to token ids with a loss mask.</summary>
/// <remarks>
/// <code>
/// &lt;|system|&gt;INSTRUCTIONS\ntools: calculator(expression); lookup(name, limit?)&lt;|end|&gt;
/// &lt;|user|&gt;QUESTION&lt;|end|&gt;
/// &lt;|assistant|&gt;&lt;tool_call&gt;{"name": "calculator", "arguments": {"expression": "2+3"}}&lt;/tool_call&gt;&lt;|end|&gt;
/// &lt;|tool|&gt;&lt;tool_response&gt;5&lt;/tool_response&gt;&lt;|end|&gt;
/// &lt;|assistant|&gt;Answer: 5&lt;|end|&gt;
/// </code>
/// (no newlines between turns: every marker is one token). Tools are listed as signatures, not schemas, because a
/// tiny model pays for every token of context. Calls use the Hermes form, so the core <c>hermes</c> parser reads model
/// output. An assistant turn always ends with <c>&lt;|end|&gt;</c>, which is the only stop token: a turn may hold several
/// calls. The loss mask is 1 on everything an assistant turn generates (after <c>&lt;|assistant|&gt;</c>, through its
/// <c>&lt;|end|&gt;</c>) and 0 elsewhere, and rendering turn by turn (<see cref="Prompt"/>, sampled tokens,
/// <see cref="ToolTurn"/>) yields exactly the tokens of the full render.
/// </remarks>
public sealed class BuiltinChatFormat
{
    public static BuiltinChatFormat Instance { get; } = new();

    private BuiltinChatFormat() { }

    public BuiltinTokenizer Tokenizer => BuiltinTokenizer.Instance;

    /// <summary>The tool-call syntax inside assistant turns.</summary>
    public ToolCallFormat CallFormat => ToolCallFormats.Hermes;

    public int EndOfTurn => Tokenizer.Id(BuiltinTokenizer.End);

    /// <summary>Token ids of the whole conversation and a mask that is 1 on assistant-generated tokens.</summary>
    public (int[] Tokens, float[] Mask) Render(Conversation conversation, bool addGenerationPrompt = false)
    {
        var tokens = new List<int>();
        var mask = new List<float>();
        void Emit(string text, bool trained)
        {
            foreach (var id in Tokenizer.Encode(text))
            {
                tokens.Add(id);
                mask.Add(trained ? 1f : 0f);
            }
        }

        var messages = conversation.Messages;
        var i = 0;
        var systemText = new StringBuilder();
        while (i < messages.Count && messages[i].Role == ChatRole.System)
        {
            if (systemText.Length > 0) systemText.Append('\n');
            systemText.Append(messages[i++].Content);
        }
        if (conversation.Tools.Count > 0)
        {
            if (systemText.Length > 0) systemText.Append('\n');
            systemText.Append("tools: ").Append(string.Join("; ", conversation.Tools.Select(Signature)));
        }
        if (systemText.Length > 0) Emit(BuiltinTokenizer.SystemRole + systemText + BuiltinTokenizer.End, trained: false);

        for (; i < messages.Count; i++)
        {
            var m = messages[i];
            switch (m.Role)
            {
                case ChatRole.System:
                    Emit(BuiltinTokenizer.SystemRole + m.Content + BuiltinTokenizer.End, trained: false);
                    break;
                case ChatRole.User:
                    Emit(BuiltinTokenizer.UserRole + m.Content + BuiltinTokenizer.End, trained: false);
                    break;
                case ChatRole.Assistant:
                    Emit(BuiltinTokenizer.AssistantRole, trained: false);
                    Emit(AssistantBody(m) + BuiltinTokenizer.End, trained: true);
                    break;
                case ChatRole.Tool:
                    var results = new List<string>();
                    while (i < messages.Count && messages[i].Role == ChatRole.Tool) results.Add(messages[i++].Content ?? "");
                    i--;
                    Emit(ToolTurnText(results), trained: false);
                    break;
            }
        }
        if (addGenerationPrompt) Emit(BuiltinTokenizer.AssistantRole, trained: false);
        return ([.. tokens], [.. mask]);
    }

    /// <summary>The prompt: the conversation followed by the assistant generation marker.</summary>
    public int[] Prompt(Conversation conversation) => Render(conversation, addGenerationPrompt: true).Tokens;

    /// <summary>Tokens that follow an assistant turn's <c>&lt;|end|&gt;</c>: the messages from <paramref name="fromMessage"/> on
    /// (a tool turn, a user turn) and the next generation prompt — the tail of the full render, so turn-by-turn
    /// rendering equals it by construction (every marker is one token, nothing merges across turns).</summary>
    public int[] Continuation(Conversation conversation, int fromMessage)
    {
        var head = Render(conversation.WithMessages([.. conversation.Messages.Take(fromMessage)])).Tokens.Length;
        return Render(conversation, addGenerationPrompt: true).Tokens[head..];
    }

    /// <summary>Reads generated ids of one assistant turn (the trailing <c>&lt;|end|&gt;</c> is dropped).</summary>
    public ParsedOutput Parse(IReadOnlyList<int> generated, IReadOnlyList<ToolSpec>? tools = null)
    {
        var ids = generated.Count > 0 && generated[^1] == EndOfTurn ? generated.Take(generated.Count - 1).ToList() : generated.ToList();
        return CallFormat.Parse(Tokenizer.Decode(ids), tools);
    }

    /// <summary>The rendered text (special tokens spelled out), e.g. for <c>toolsharp template render</c>.</summary>
    public string RenderText(Conversation conversation, bool addGenerationPrompt = false) =>
        Tokenizer.Decode(Render(conversation, addGenerationPrompt).Tokens);

    /// <summary>A tool as <c>name(param, optional?)</c>.</summary>
    public static string Signature(ToolSpec tool)
    {
        var required = tool.RequiredParameters.ToHashSet(StringComparer.Ordinal);
        return $"{tool.Name}({string.Join(", ", tool.ParameterNames.Select(p => required.Contains(p) ? p : p + "?"))})";
    }

    private string AssistantBody(Message m)
    {
        var sb = new StringBuilder();
        if (m.ReasoningContent is not null) sb.Append(BuiltinTokenizer.ThinkOpen).Append(m.ReasoningContent).Append(BuiltinTokenizer.ThinkClose);
        sb.Append(m.Content);
        foreach (var call in m.ToolCalls)
        {
            // Same text as HermesFormat, without its newlines (every marker is a token here).
            sb.Append(BuiltinTokenizer.ToolCallOpen);
            sb.Append("{\"name\": ");
            PythonStyleJson.WriteString(sb, call.Name);
            sb.Append(", \"arguments\": ");
            PythonStyleJson.Write(sb, call.HasObjectArguments ? call.Arguments : JsonValues.EmptyObject);
            sb.Append('}').Append(BuiltinTokenizer.ToolCallClose);
        }
        return sb.ToString();
    }

    private static string ToolTurnText(IReadOnlyList<string> results)
    {
        var sb = new StringBuilder(BuiltinTokenizer.ToolRole);
        foreach (var r in results) sb.Append(BuiltinTokenizer.ToolResponseOpen).Append(r).Append(BuiltinTokenizer.ToolResponseClose);
        return sb.Append(BuiltinTokenizer.End).ToString();
    }
}
