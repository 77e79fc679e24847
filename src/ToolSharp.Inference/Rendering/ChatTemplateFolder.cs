using System.Text.Json;
using ToolSharp.Core.Errors;
using ToolSharp.Core.Formats;
using ToolSharp.Core.Json;
using ToolSharp.Core.Messages;
using ToolSharp.Models.Configuration;
using ToolSharp.Text.Templates;
using ToolSharp.Text.Tokenization;

namespace ToolSharp.Inference.Rendering;

/// <summary>Loads the text side of a Hugging Face model folder — tokenizer.json, the chat template, the special
/// tokens of tokenizer_config.json, generation_config.json and config.json — into a <see cref="ChatTemplateRolloutRenderer"/>,
/// checking they agree with each other and with the model.</summary>
/// <remarks>
/// <para>The template is <c>chat_template.jinja</c> when the folder has one (as transformers saves it now), else
/// <c>chat_template</c> in tokenizer_config.json. Stop tokens are the template's end-of-turn token (found by rendering a
/// one-line assistant turn: the last special token it generates) and every eos id of tokenizer_config.json,
/// generation_config.json and config.json. The tool-call format is detected from the template's text unless set.</para>
/// <para>Each problem is one line naming the file and key: no chat template; a template that does not parse or raises
/// (file, line); a bos/eos token or id the tokenizer does not have, or a bos id that disagrees between config.json and
/// tokenizer_config.json; an embedding with fewer rows than the tokenizer has ids.</para>
/// </remarks>
public static class ChatTemplateFolder
{
    public const string TokenizerFile = "tokenizer.json";
    public const string TokenizerConfigFile = "tokenizer_config.json";
    public const string TemplateFile = "chat_template.jinja";
    public const string GenerationConfigFile = "generation_config.json";

    /// <summary>The folder's tokenizer and template files, which a training run carries into its checkpoints.</summary>
    public static IReadOnlyList<string> TextFiles { get; } = [TokenizerFile, TokenizerConfigFile, TemplateFile, "special_tokens_map.json", "vocab.json", "merges.txt"];

    /// <summary>The renderer of <paramref name="directory"/>, checked against the model's <paramref name="config"/> (read from <paramref name="configPath"/>).</summary>
    public static ChatTemplateRolloutRenderer Load(string directory, TransformerConfig config, string configPath, ChatTemplateOptions options)
    {
        var tokenizerPath = Path.Combine(directory, TokenizerFile);
        var tokenizer = BpeTokenizer.Load(tokenizerPath);
        var tokenizerConfigPath = Path.Combine(directory, TokenizerConfigFile);
        var tokenizerConfig = File.Exists(tokenizerConfigPath) ? JsonValues.ParseFile(tokenizerConfigPath) : default;
        var template = ReadTemplate(directory, tokenizerConfigPath, tokenizerConfig);

        if (config.VocabSize < tokenizer.VocabularySize)
            throw new InputFormatException(configPath, "vocab_size", $"at least {tokenizer.VocabularySize} (the ids of {tokenizerPath})", config.VocabSize.ToString());
        var eos = new SortedSet<int>();
        var tokenizerBos = TokenId(tokenizer, tokenizerPath, tokenizerConfigPath, tokenizerConfig, "bos_token");
        if (TokenId(tokenizer, tokenizerPath, tokenizerConfigPath, tokenizerConfig, "eos_token") is { } e) eos.Add(e);
        var configJson = JsonValues.ParseFile(configPath);
        foreach (var id in Ids(tokenizer, tokenizerPath, configPath, configJson, "eos_token_id")) eos.Add(id);
        var configBos = Ids(tokenizer, tokenizerPath, configPath, configJson, "bos_token_id").FirstOrDefault(-1);
        if (configBos >= 0 && tokenizerBos is { } tb && tb != configBos)
            throw new InputFormatException(configPath, "bos_token_id", $"{tb} ({tokenizer.IdToToken(tb)}, the bos_token of {tokenizerConfigPath})", configBos.ToString());
        var generationConfigPath = Path.Combine(directory, GenerationConfigFile);
        if (File.Exists(generationConfigPath))
            foreach (var id in Ids(tokenizer, tokenizerPath, generationConfigPath, JsonValues.ParseFile(generationConfigPath), "eos_token_id")) eos.Add(id);

        var variables = new Dictionary<string, JsonElement>(StringComparer.Ordinal) { ["enable_thinking"] = options.Thinking ? JsonValues.Parse("true") : JsonValues.Parse("false") };
        var endOfTurn = EndOfTurn(template, tokenizer, variables) ?? (eos.Count > 0 ? eos.Min : (int?)null)
            ?? throw new ToolSharpException($"{template.SourceName}: no end-of-turn token: an assistant turn renders no special token, and neither {tokenizerConfigPath} (eos_token) nor {configPath} (eos_token_id) names one");
        eos.Add(endOfTurn);
        var format = options.Format is { } name ? ToolCallFormats.Get(name) : DetectFormat(template);
        return new ChatTemplateRolloutRenderer(template, tokenizer, format, eos, endOfTurn, variables);
    }

    /// <summary>The tool-call format a template writes calls in: qwen3-coder (<c>&lt;function=</c>), hermes
    /// (<c>&lt;tool_call&gt;</c>), mistral (<c>[TOOL_CALLS]</c>) or llama3 (<c>"parameters"</c> JSON, <c>&lt;|python_tag|&gt;</c>).</summary>
    public static ToolCallFormat DetectFormat(ChatTemplate template)
    {
        var text = template.Text;
        if (text.Contains("<function=", StringComparison.Ordinal)) return ToolCallFormats.Qwen3Coder;
        if (text.Contains("<tool_call>", StringComparison.Ordinal)) return ToolCallFormats.Hermes;
        if (text.Contains("[TOOL_CALLS]", StringComparison.Ordinal)) return ToolCallFormats.Mistral;
        if (text.Contains("<|python_tag|>", StringComparison.Ordinal) || text.Contains("\"parameters\": ", StringComparison.Ordinal)) return ToolCallFormats.Llama3;
        throw new ToolSharpException($"{template.SourceName}: no tool-call format found in the template (none of <function=, <tool_call>, [TOOL_CALLS], <|python_tag|>); name one with DIR#format=NAME ({string.Join(", ", ToolCallFormats.Names)})");
    }

    private static ChatTemplate ReadTemplate(string directory, string tokenizerConfigPath, JsonElement tokenizerConfig)
    {
        var jinja = Path.Combine(directory, TemplateFile);
        var hasConfig = tokenizerConfig.ValueKind == JsonValueKind.Object;
        if (tokenizerConfig.ValueKind is not (JsonValueKind.Undefined or JsonValueKind.Object))
            throw new InputFormatException(tokenizerConfigPath, "$", "a tokenizer_config.json object", JsonValues.SchemaTypeName(tokenizerConfig));
        string? bos = hasConfig ? TokenText(tokenizerConfig, "bos_token") : null, eos = hasConfig ? TokenText(tokenizerConfig, "eos_token") : null;
        if (File.Exists(jinja)) return ChatTemplate.FromText(Core.Data.TextFiles.Read(jinja), jinja, bos, eos);
        if (hasConfig && tokenizerConfig.TryGetProperty("chat_template", out _)) return ChatTemplate.FromTokenizerConfig(tokenizerConfigPath);
        throw new InputFormatException(hasConfig ? tokenizerConfigPath : directory, "chat_template", $"a chat template (or a {TemplateFile} file in the folder)", "nothing");
    }

    /// <summary>The template's end-of-turn id: the last special token of a one-line assistant turn.</summary>
    private static int? EndOfTurn(ChatTemplate template, ITokenizer tokenizer, IReadOnlyDictionary<string, JsonElement> variables)
    {
        var render = new LossMaskRenderer(template, tokenizer).Render(new Conversation([Message.User("Hi"), Message.Assistant("Hello")]), variables: variables);
        int? last = null;
        for (var i = 0; i < render.Tokens.Length; i++)
            if (render.Mask[i] > 0 && tokenizer.IsSpecial(render.Tokens[i])) last = render.Tokens[i];
        return last;
    }

    /// <summary>The id of tokenizer_config.json's <paramref name="key"/> (a string or {"content": …}); an unknown token is an error.</summary>
    private static int? TokenId(ITokenizer tokenizer, string tokenizerPath, string source, JsonElement tokenizerConfig, string key)
    {
        if (tokenizerConfig.ValueKind != JsonValueKind.Object || TokenText(tokenizerConfig, key) is not { } text) return null;
        return tokenizer.TokenToId(text) ?? throw new InputFormatException(source, key, $"a token of {tokenizerPath}", JsonSerializer.Serialize(text));
    }

    private static string? TokenText(JsonElement root, string name) =>
        !root.TryGetProperty(name, out var v) ? null
        : v.ValueKind == JsonValueKind.String ? v.GetString()
        : v.ValueKind == JsonValueKind.Object && v.TryGetProperty("content", out var c) && c.ValueKind == JsonValueKind.String ? c.GetString()
        : null;

    /// <summary>An id or a list of ids under <paramref name="key"/>; each must name a token of the tokenizer.</summary>
    private static List<int> Ids(ITokenizer tokenizer, string tokenizerPath, string source, JsonElement root, string key)
    {
        var ids = new List<int>();
        if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty(key, out var v) || v.ValueKind == JsonValueKind.Null) return ids;
        var items = v.ValueKind == JsonValueKind.Array ? v.EnumerateArray().ToList() : [v];
        for (var i = 0; i < items.Count; i++)
        {
            var field = v.ValueKind == JsonValueKind.Array ? $"{key}[{i}]" : key;
            if (items[i].ValueKind != JsonValueKind.Number || !items[i].TryGetInt32(out var id))
                throw new InputFormatException(source, field, "a token id", items[i].GetRawText());
            if (tokenizer.IdToToken(id) is null)
                throw new InputFormatException(source, field, $"the id of a token of {tokenizerPath} (0 to {tokenizer.VocabularySize - 1})", id.ToString());
            ids.Add(id);
        }
        return ids;
    }
}
