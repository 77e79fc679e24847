using System.Text.Json;
using ToolSharp.Core.Messages;
using ToolSharp.Text.Templates.Jinja;
using ToolSharp.Text.Tokenization;

namespace ToolSharp.Text.Templates;

/// <summary>Renders conversations to tokens with a loss mask by rendering prefixes and tokenizing only each message's delta.</summary>
/// <remarks>
/// This is how a token-in/token-out rollout builds its sequence: before assistant turn k the prompt is
/// <c>render(messages[..k], add_generation_prompt=True)</c>; the assistant's tokens are what that turn adds when it is
/// the last message; every other message adds the text its prefix render adds. Each delta is tokenized on its own, so
/// the result is exactly what the model saw and produced. <see cref="MaskedRender.Drift"/> compares it with
/// re-rendering and re-tokenizing the whole conversation: a template that renders past turns differently (e.g. drops
/// earlier reasoning) or a merge across a delta boundary shows up as the first differing message, character and token.
/// When a prefix render rewrites earlier text, the turn-by-turn text is kept (it is what the model saw) and the new
/// render is aligned to it at the end of the last special token the text holds (the previous message's end-of-turn),
/// so only what the new message adds is appended. A prefix ending in a message the template refuses to end on (its
/// <c>raise_exception</c>; e.g. a system message before the user turn that carries the tools) is not rendered: that
/// message's text is part of the next one's delta.
/// </remarks>
public sealed class LossMaskRenderer
{
    private readonly string[] _specials;

    public LossMaskRenderer(ChatTemplate template, ITokenizer tokenizer)
    {
        Template = template;
        Tokenizer = tokenizer;
        _specials = [.. tokenizer.SpecialTokens.Where(kv => tokenizer.IsSpecial(kv.Value) && kv.Key.Length > 0).Select(kv => kv.Key)];
    }

    public ChatTemplate Template { get; }

    public ITokenizer Tokenizer { get; }

    /// <summary>Renders a <see cref="Conversation"/> (see <see cref="ChatTemplate.ToTemplateJson"/>).</summary>
    public MaskedRender Render(Conversation conversation, bool addGenerationPrompt = false, IReadOnlyDictionary<string, JsonElement>? variables = null)
    {
        var doc = ChatTemplate.ToTemplateJson(conversation);
        return Render(doc.GetProperty("messages"), doc.TryGetProperty("tools", out var t) ? t : null, addGenerationPrompt, variables);
    }

    /// <summary>Renders OpenAI-shaped messages (a JSON array) with optional tools.</summary>
    public MaskedRender Render(JsonElement messages, JsonElement? tools = null, bool addGenerationPrompt = false, IReadOnlyDictionary<string, JsonElement>? variables = null)
    {
        var list = messages.EnumerateArray().ToList();
        var tokens = new List<int>();
        var mask = new List<float>();
        var starts = new int[list.Count + 1];
        var text = "";
        int? driftMessage = null;
        string? driftNote = null;

        string RenderPrefix(int count, bool generationPrompt) =>
            Template.Render(Array(list.Take(count)), tools, generationPrompt, variables);

        void Append(string previous, string next, int messageIndex, float weight)
        {
            if (!next.StartsWith(previous, StringComparison.Ordinal))
            {
                // The new prefix render rewrites earlier text: keep the turn-by-turn text (what the model saw), append only
                // what lies beyond the shared part, and record the drift.
                if (driftMessage is null)
                {
                    var at = CommonPrefixLength(previous, next);
                    driftMessage = messageIndex;
                    driftNote = $"message {messageIndex} ({Role(list, messageIndex)}): its prefix render rewrites earlier text at character {at}: expected {Snippet(previous, at)}, found {Snippet(next, at)}";
                }
                next = Concat(previous, next);
            }
            var delta = next[previous.Length..];
            if (delta.Length == 0) return;
            foreach (var id in Tokenizer.Encode(delta))
            {
                tokens.Add(id);
                mask.Add(weight);
            }
        }

        for (var k = 0; k < list.Count; k++)
        {
            starts[k] = tokens.Count;
            if (Role(list, k) == "assistant")
            {
                var prompt = RenderPrefix(k, generationPrompt: true);
                Append(text, prompt, k, 0f);
                text = Concat(text, prompt);
                var withTurn = RenderPrefix(k + 1, generationPrompt: false);
                Append(text, withTurn, k, 1f);
                text = Concat(text, withTurn);
                TrimTrailingUntrained(tokens, mask);
            }
            else
            {
                string next;
                try
                {
                    next = RenderPrefix(k + 1, generationPrompt: false);
                }
                catch (TemplateError e) when (e.RaisedByTemplate && k + 1 < list.Count && Role(list, k + 1) != "assistant")
                {
                    // A prefix the template refuses (Llama 3.1 puts the tools into the first user message, so a system
                    // message alone does not render): this message's text comes with the next one's.
                    continue;
                }
                Append(text, next, k, 0f);
                text = Concat(text, next);
            }
        }
        starts[list.Count] = tokens.Count;
        if (addGenerationPrompt)
        {
            var prompt = RenderPrefix(list.Count, generationPrompt: true);
            Append(text, prompt, list.Count, 0f);
        }

        var full = Template.Render(messages, tools, addGenerationPrompt, variables);
        var fullTokens = Tokenizer.Encode(full);
        var drift = Compare(tokens, fullTokens, driftMessage, driftNote, full);
        return new MaskedRender([.. tokens], [.. mask], drift) { MessageStarts = starts };
    }

    /// <summary>Text after appending a prefix render: the render itself when it extends the text, else the text plus
    /// what the render holds beyond the text's last special token (see the remarks); without such a token, beyond the
    /// shared prefix.</summary>
    private string Concat(string previous, string next)
    {
        if (next.StartsWith(previous, StringComparison.Ordinal)) return next;
        if (AlignedTail(previous, next) is { } tail) return previous + tail;
        return previous + next[Math.Min(CommonPrefixLength(previous, next), next.Length)..];
    }

    /// <summary>The part of <paramref name="next"/> after the occurrence of <paramref name="previous"/>'s last special
    /// token that has the same count (the same end-of-turn), less the text that follows that token in both; null when
    /// <paramref name="next"/> has fewer occurrences.</summary>
    private string? AlignedTail(string previous, string next)
    {
        string? last = null;
        var lastAt = -1;
        foreach (var s in _specials)
        {
            var at = previous.LastIndexOf(s, StringComparison.Ordinal);
            if (at >= 0 && at + s.Length > lastAt + (last?.Length ?? 0)) (last, lastAt) = (s, at);
        }
        if (last is null) return null;
        var count = Occurrences(previous, last, lastAt + last.Length);
        var found = -1;
        for (var i = 0; i < count; i++)
        {
            found = next.IndexOf(last, found + 1, StringComparison.Ordinal);
            if (found < 0) return null;
        }
        var previousTail = previous[(lastAt + last.Length)..];
        var rest = next[(found + last.Length)..];
        return rest[Math.Min(CommonPrefixLength(previousTail, rest), rest.Length)..];
    }

    private static int Occurrences(string text, string token, int end)
    {
        var n = 0;
        for (var at = text.IndexOf(token, StringComparison.Ordinal); at >= 0 && at + token.Length <= end; at = text.IndexOf(token, at + token.Length, StringComparison.Ordinal)) n++;
        return n;
    }

    /// <summary>The model stops at its end-of-turn token; text a template adds after it (Qwen's "\n") is not generated.</summary>
    private void TrimTrailingUntrained(List<int> tokens, List<float> mask)
    {
        var lastSpecial = -1;
        for (var i = tokens.Count - 1; i >= 0 && mask[i] > 0; i--)
        {
            if (Tokenizer.IsSpecial(tokens[i])) { lastSpecial = i; break; }
        }
        if (lastSpecial < 0) return;
        for (var i = lastSpecial + 1; i < tokens.Count; i++) mask[i] = 0f;
    }

    private TemplateDrift Compare(List<int> tokens, IReadOnlyList<int> full, int? driftMessage, string? driftNote, string fullText)
    {
        int? tokenAt = null;
        var n = Math.Min(tokens.Count, full.Count);
        for (var i = 0; i < n; i++)
        {
            if (tokens[i] != full[i]) { tokenAt = i; break; }
        }
        if (tokenAt is null && tokens.Count != full.Count) tokenAt = n;
        if (tokenAt is null && driftMessage is null) return TemplateDrift.None;
        var tokenNote = tokenAt is null ? "" :
            $"token {tokenAt}: expected {Describe(full, tokenAt.Value)} (full render), found {Describe(tokens, tokenAt.Value)} (turn by turn)";
        int? textAt = null;
        if (tokenAt is not null)
        {
            var prefix = Tokenizer.Decode([.. full.Take(tokenAt.Value)]);
            textAt = Math.Min(prefix.Length, fullText.Length);
        }
        var description = string.Join("; ", new[] { driftNote, tokenNote }.Where(s => !string.IsNullOrEmpty(s)));
        return new TemplateDrift(driftMessage, textAt, tokenAt, description);
    }

    private string Describe(IReadOnlyList<int> ids, int at) =>
        at >= ids.Count ? "end of sequence" : $"{ids[at]} {JsonSerializer.Serialize(Tokenizer.Decode([ids[at]]), Core.Json.JsonValues.CompactOptions)}";

    private static string Role(List<JsonElement> list, int k) =>
        k < list.Count && list[k].TryGetProperty("role", out var r) ? r.GetString() ?? "" : "generation prompt";

    private static int CommonPrefixLength(string a, string b)
    {
        var n = Math.Min(a.Length, b.Length);
        var i = 0;
        while (i < n && a[i] == b[i]) i++;
        return i;
    }

    private static string Snippet(string s, int at) => at >= s.Length ? "end of text" : JsonSerializer.Serialize(s.Substring(at, Math.Min(30, s.Length - at)), Core.Json.JsonValues.CompactOptions);

    private static JsonElement Array(IEnumerable<JsonElement> items)
    {
        var buffer = new System.Buffers.ArrayBufferWriter<byte>();
        using (var w = new Utf8JsonWriter(buffer))
        {
            w.WriteStartArray();
            foreach (var e in items) e.WriteTo(w);
            w.WriteEndArray();
        }
        using var doc = JsonDocument.Parse(buffer.WrittenMemory);
        return doc.RootElement.Clone();
    }
}
