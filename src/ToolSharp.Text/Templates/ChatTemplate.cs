using ToolSharp.Core.WireFormats;
using System.Text.Json;
using ToolSharp.Core.Data;
using ToolSharp.Core.Errors;
using ToolSharp.Core.Json;
using ToolSharp.Core.Messages;
using ToolSharp.Text.Templates.Jinja;

namespace ToolSharp.Text.Templates;

/// <summary>A Hugging Face chat template (Jinja2), rendered as transformers' <c>apply_chat_template</c> renders it.</summary>
/// <remarks>
/// Variables are those transformers passes: <c>messages</c>, <c>tools</c> (None when absent), <c>documents</c> (None),
/// <c>add_generation_prompt</c>, the tokenizer's <c>bos_token</c>/<c>eos_token</c> when known, and any extra variables
/// (e.g. <c>enable_thinking</c>). Whitespace follows <c>trim_blocks=True, lstrip_blocks=True</c>. The template is parsed
/// once; rendering is thread-safe.
/// </remarks>
public sealed class ChatTemplate
{
    private readonly IReadOnlyList<Stmt> _body;

    private ChatTemplate(string text, string source, string? bosToken, string? eosToken)
    {
        Text = text;
        SourceName = source;
        BosToken = bosToken;
        EosToken = eosToken;
        _body = JinjaParser.Parse(text, source);
    }

    private ChatTemplate(ChatTemplate other, Func<DateTime> clock)
    {
        Text = other.Text;
        SourceName = other.SourceName;
        BosToken = other.BosToken;
        EosToken = other.EosToken;
        _body = other._body;
        Clock = clock;
    }

    /// <summary>The same template with another clock behind <c>strftime_now</c> (for deterministic renders).</summary>
    public ChatTemplate WithClock(Func<DateTime> clock) => new(this, clock);

    /// <summary>The template source.</summary>
    public string Text { get; }

    /// <summary>Where the template came from, for messages.</summary>
    public string SourceName { get; }

    /// <summary>The tokenizer's BOS text passed as <c>bos_token</c> (null: not passed unless given per render).</summary>
    public string? BosToken { get; init; }

    /// <summary>The tokenizer's EOS text passed as <c>eos_token</c>.</summary>
    public string? EosToken { get; init; }

    /// <summary>The clock behind <c>strftime_now</c> (local time, as transformers uses); see <see cref="WithClock"/>.</summary>
    public Func<DateTime> Clock { get; } = () => DateTime.Now;

    /// <summary>Parses template text.</summary>
    public static ChatTemplate FromText(string text, string source = "<chat_template>", string? bosToken = null, string? eosToken = null) =>
        new(text, source, bosToken, eosToken);

    /// <summary>Loads a <c>.jinja</c> file, or the template inside a <c>tokenizer_config.json</c> (any <c>.json</c> file).</summary>
    public static ChatTemplate FromFile(string path)
    {
        if (path.EndsWith(".json", StringComparison.OrdinalIgnoreCase)) return FromTokenizerConfig(path);
        return new ChatTemplate(TextFiles.Read(path), path, null, null);
    }

    /// <summary>Loads <c>chat_template</c> (a string, or the "default" of a list of named templates) and the BOS/EOS tokens of a tokenizer_config.json.</summary>
    public static ChatTemplate FromTokenizerConfig(string path)
    {
        var root = JsonValues.ParseFile(path);
        if (root.ValueKind != JsonValueKind.Object) throw new InputFormatException(path, "$", "a tokenizer_config.json object", root.ValueKind.ToString());
        if (!root.TryGetProperty("chat_template", out var t)) throw new InputFormatException(path, "chat_template", "a template string", "nothing");
        string text;
        if (t.ValueKind == JsonValueKind.String) text = t.GetString()!;
        else if (t.ValueKind == JsonValueKind.Array)
        {
            var named = t.EnumerateArray().Where(x => x.ValueKind == JsonValueKind.Object).ToList();
            var chosen = named.FirstOrDefault(x => x.TryGetProperty("name", out var n) && n.GetString() == "default");
            if (chosen.ValueKind == JsonValueKind.Undefined) chosen = named.FirstOrDefault();
            if (chosen.ValueKind == JsonValueKind.Undefined || !chosen.TryGetProperty("template", out var tt) || tt.ValueKind != JsonValueKind.String)
                throw new InputFormatException(path, "chat_template", "a list of {\"name\", \"template\"} objects", "none usable");
            text = tt.GetString()!;
        }
        else throw new InputFormatException(path, "chat_template", "a template string", t.ValueKind.ToString());
        return new ChatTemplate(text, path + "#chat_template", TokenText(root, "bos_token"), TokenText(root, "eos_token"));
    }

    private static string? TokenText(JsonElement root, string name) =>
        !root.TryGetProperty(name, out var v) ? null
        : v.ValueKind == JsonValueKind.String ? v.GetString()
        : v.ValueKind == JsonValueKind.Object && v.TryGetProperty("content", out var c) && c.ValueKind == JsonValueKind.String ? c.GetString()
        : null;

    /// <summary>Renders OpenAI-shaped <paramref name="messages"/> (a JSON array) exactly as given, with optional <paramref name="tools"/> (a JSON array).</summary>
    public string Render(JsonElement messages, JsonElement? tools = null, bool addGenerationPrompt = false, IReadOnlyDictionary<string, JsonElement>? variables = null)
    {
        var vars = new Dictionary<string, object?>(StringComparer.Ordinal)
        {
            ["messages"] = JinjaJson.FromElement(messages),
            ["tools"] = tools is { ValueKind: not (JsonValueKind.Null or JsonValueKind.Undefined) } t ? JinjaJson.FromElement(t) : null,
            ["documents"] = null,
            ["add_generation_prompt"] = addGenerationPrompt,
        };
        if (BosToken is not null) vars["bos_token"] = BosToken;
        if (EosToken is not null) vars["eos_token"] = EosToken;
        if (variables is not null) foreach (var (k, v) in variables) vars[k] = JinjaJson.FromElement(v);
        return JinjaInterpreter.Render(_body, vars, SourceName, Clock);
    }

    /// <summary>Renders a conversation document <c>{"messages": [...], "tools": [...], "bos_token": ..., "eos_token": ..., other variables}</c>.</summary>
    /// <remarks>Keys other than messages and tools become template variables, so the document can carry e.g. <c>enable_thinking</c>.</remarks>
    public string RenderDocument(JsonElement document, bool addGenerationPrompt = false, IReadOnlyDictionary<string, JsonElement>? variables = null, string source = "<conversation>")
    {
        if (document.ValueKind != JsonValueKind.Object) throw new InputFormatException(source, "$", "an object with \"messages\"", document.ValueKind.ToString());
        if (!document.TryGetProperty("messages", out var messages) || messages.ValueKind != JsonValueKind.Array)
            throw new InputFormatException(source, "messages", "an array of messages", messages.ValueKind == JsonValueKind.Undefined ? "nothing" : messages.ValueKind.ToString());
        var vars = new Dictionary<string, JsonElement>(StringComparer.Ordinal);
        foreach (var p in document.EnumerateObject())
            if (p.Name is not ("messages" or "tools")) vars[p.Name] = p.Value;
        if (variables is not null) foreach (var (k, v) in variables) vars[k] = v;
        if (vars.TryGetValue("add_generation_prompt", out var agp) && agp.ValueKind == JsonValueKind.True) addGenerationPrompt = true;
        vars.Remove("add_generation_prompt");
        return Render(messages, document.TryGetProperty("tools", out var tools) ? tools : null, addGenerationPrompt, vars);
    }

    /// <summary>Renders a <see cref="Conversation"/>: tool-call arguments as objects, a missing assistant content as "" (as HF examples pass it).</summary>
    public string Render(Conversation conversation, bool addGenerationPrompt = false, IReadOnlyDictionary<string, JsonElement>? variables = null)
    {
        var doc = ToTemplateJson(conversation);
        return Render(doc.GetProperty("messages"), doc.TryGetProperty("tools", out var t) ? t : null, addGenerationPrompt, variables);
    }

    /// <summary>The conversation as the JSON the template sees.</summary>
    public static JsonElement ToTemplateJson(Conversation conversation)
    {
        var messages = conversation.Messages.Select(m => m.Role == ChatRole.Assistant && m.Content is null ? m with { Content = "" } : m).ToList();
        return OpenAiChatJson.ToElement(conversation.WithMessages(messages), ArgumentsStyle.Object);
    }
}
