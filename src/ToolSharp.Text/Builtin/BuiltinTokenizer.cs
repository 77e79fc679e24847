using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using ToolSharp.Core.Errors;
using ToolSharp.Text.Tokenization;

namespace ToolSharp.Text.Builtin;

/// <summary>The tokenizer of the built-in models: one token per UTF-8 byte (ids 0–255) plus 32 special tokens (256–287).</summary>
/// <remarks>
/// Tiny models trained from scratch learn bytes quickly and need no vocabulary file, while the specials give every
/// structural marker (roles, tool calls, tool responses, end of turn) a single id, so stop conditions and loss masks
/// work on ids. It is saved as a Hugging Face byte-level BPE tokenizer.json with no merges, which HF tokenizers read
/// with the same ids.
/// </remarks>
public sealed class BuiltinTokenizer : ITokenizer
{
    public const int ByteCount = 256;
    public const int Size = 288;

    public const string Pad = "<|pad|>";
    public const string Bos = "<|bos|>";
    public const string End = "<|end|>";
    public const string SystemRole = "<|system|>";
    public const string UserRole = "<|user|>";
    public const string AssistantRole = "<|assistant|>";
    public const string ToolRole = "<|tool|>";
    public const string ToolCallOpen = "<tool_call>";
    public const string ToolCallClose = "</tool_call>";
    public const string ToolResponseOpen = "<tool_response>";
    public const string ToolResponseClose = "</tool_response>";
    public const string ThinkOpen = "<think>";
    public const string ThinkClose = "</think>";

    private static readonly string[] Named = [Pad, Bos, End, SystemRole, UserRole, AssistantRole, ToolRole, ToolCallOpen, ToolCallClose, ToolResponseOpen, ToolResponseClose, ThinkOpen, ThinkClose];

    private readonly string[] _specials;
    private readonly Dictionary<string, int> _specialIds;

    public static BuiltinTokenizer Instance { get; } = new();

    private BuiltinTokenizer()
    {
        _specials = new string[Size - ByteCount];
        for (var i = 0; i < _specials.Length; i++) _specials[i] = i < Named.Length ? Named[i] : $"<|reserved_{i - Named.Length}|>";
        _specialIds = _specials.Select((s, i) => (s, i)).ToDictionary(x => x.s, x => ByteCount + x.i, StringComparer.Ordinal);
        // Longest first, so that a special is never shadowed by a prefix of another.
        _matchOrder = [.. _specials.OrderByDescending(s => s.Length)];
    }

    private readonly string[] _matchOrder;

    public int VocabularySize => Size;

    public IReadOnlyDictionary<string, int> SpecialTokens => _specialIds;

    public int Id(string special) => _specialIds.TryGetValue(special, out var id) ? id : throw new ArgumentException($"'{special}' is not a special token of the built-in tokenizer");

    public bool IsSpecial(int id) => id >= ByteCount && id < Size;

    public int? TokenToId(string token)
    {
        if (_specialIds.TryGetValue(token, out var id)) return id;
        var bytes = Encoding.UTF8.GetBytes(token);
        return bytes.Length == 1 ? bytes[0] : null;
    }

    public string? IdToToken(int id) => id switch
    {
        < 0 or >= Size => null,
        >= ByteCount => _specials[id - ByteCount],
        _ => ByteLevel.ToUnicode[id].ToString(),
    };

    public IReadOnlyList<int> Encode(string text, bool allowSpecialTokens = true)
    {
        var ids = new List<int>(text.Length + 8);
        var start = 0;
        if (allowSpecialTokens)
        {
            for (var i = 0; i < text.Length; i++)
            {
                if (text[i] != '<') continue;
                var match = _matchOrder.FirstOrDefault(s => string.CompareOrdinal(text, i, s, 0, s.Length) == 0);
                if (match is null) continue;
                AppendBytes(ids, text.AsSpan(start, i - start));
                ids.Add(_specialIds[match]);
                i += match.Length - 1;
                start = i + 1;
            }
        }
        AppendBytes(ids, text.AsSpan(start));
        return ids;
    }

    public string Decode(IReadOnlyList<int> ids, bool skipSpecialTokens = false)
    {
        var sb = new StringBuilder();
        var bytes = new List<byte>();
        void Flush()
        {
            if (bytes.Count == 0) return;
            sb.Append(Encoding.UTF8.GetString(bytes.ToArray()));
            bytes.Clear();
        }
        foreach (var id in ids)
        {
            if ((uint)id >= Size) throw new ArgumentOutOfRangeException(nameof(ids), $"token id {id} is outside the built-in vocabulary of {Size}");
            if (id < ByteCount)
            {
                bytes.Add((byte)id);
                continue;
            }
            Flush();
            if (!skipSpecialTokens) sb.Append(_specials[id - ByteCount]);
        }
        Flush();
        return sb.ToString();
    }

    private static void AppendBytes(List<int> ids, ReadOnlySpan<char> text)
    {
        if (text.IsEmpty) return;
        // Lone surrogates cannot be UTF-8 encoded; they become U+FFFD (EF BF BD), as Python's "replace" handler does.
        var bytes = new UTF8Encoding(false, false).GetBytes(text.ToArray());
        foreach (var b in bytes) ids.Add(b);
    }

    /// <summary>The tokenizer as a Hugging Face tokenizer.json: byte-level BPE, byte alphabet as vocabulary, no merges, specials as added tokens.</summary>
    public string ToTokenizerJson()
    {
        var vocab = new JsonObject();
        for (var b = 0; b < ByteCount; b++) vocab[ByteLevel.ToUnicode[b].ToString()] = b;
        var added = new JsonArray();
        for (var i = 0; i < _specials.Length; i++)
        {
            var token = SpecialJson(_specials[i]);
            token.Insert(0, "id", ByteCount + i);
            added.Add(token);
        }
        var root = new JsonObject
        {
            ["version"] = "1.0",
            ["truncation"] = null,
            ["padding"] = null,
            ["added_tokens"] = added,
            ["normalizer"] = null,
            ["pre_tokenizer"] = new JsonObject { ["type"] = "ByteLevel", ["add_prefix_space"] = false, ["trim_offsets"] = true, ["use_regex"] = false },
            ["post_processor"] = null,
            ["decoder"] = new JsonObject { ["type"] = "ByteLevel", ["add_prefix_space"] = false, ["trim_offsets"] = true, ["use_regex"] = false },
            ["model"] = new JsonObject
            {
                ["type"] = "BPE",
                ["dropout"] = null,
                ["unk_token"] = null,
                ["continuing_subword_prefix"] = null,
                ["end_of_word_suffix"] = null,
                ["fuse_unk"] = false,
                ["byte_fallback"] = false,
                ["ignore_merges"] = false,
                ["vocab"] = vocab,
                ["merges"] = new JsonArray(),
            },
        };
        return root.ToJsonString(new JsonSerializerOptions { WriteIndented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping });
    }

    /// <summary>A tokenizer_config.json naming the specials and the chat template, as HF tools expect next to tokenizer.json.</summary>
    /// <remarks>
    /// <c>clean_up_tokenization_spaces</c> is off because decoding must give back the bytes the model produced (the
    /// clean-up would turn " ." into "."); no BOS or EOS is added, because the chat format has none.
    /// </remarks>
    public string ToTokenizerConfigJson(string chatTemplate, int modelMaxLength = 2048)
    {
        var decoder = new JsonObject();
        for (var i = 0; i < _specials.Length; i++)
        {
            decoder[(ByteCount + i).ToString(System.Globalization.CultureInfo.InvariantCulture)] = SpecialJson(_specials[i]);
        }
        return new JsonObject
        {
            ["tokenizer_class"] = "PreTrainedTokenizerFast",
            ["added_tokens_decoder"] = decoder,
            ["bos_token"] = Bos,
            ["eos_token"] = End,
            ["pad_token"] = Pad,
            ["add_bos_token"] = false,
            ["add_eos_token"] = false,
            ["clean_up_tokenization_spaces"] = false,
            ["chat_template"] = chatTemplate,
            ["model_max_length"] = modelMaxLength,
        }.ToJsonString(new JsonSerializerOptions { WriteIndented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping });
    }

    /// <summary>An added special token as tokenizer.json and tokenizer_config.json describe it: atomic, matched verbatim.</summary>
    private static JsonObject SpecialJson(string content) => new()
    {
        ["content"] = content,
        ["single_word"] = false,
        ["lstrip"] = false,
        ["rstrip"] = false,
        ["normalized"] = false,
        ["special"] = true,
    };

    /// <summary>True when a tokenizer.json file describes this tokenizer (same byte vocabulary and specials).</summary>
    public static bool Matches(string tokenizerJsonPath)
    {
        try
        {
            using var doc = JsonDocument.Parse(File.ReadAllText(tokenizerJsonPath));
            var root = doc.RootElement;
            if (!root.TryGetProperty("model", out var model) || model.GetProperty("merges").GetArrayLength() != 0) return false;
            if (model.GetProperty("vocab").EnumerateObject().Count() != ByteCount) return false;
            var added = root.GetProperty("added_tokens").EnumerateArray().Select(t => (t.GetProperty("id").GetInt32(), t.GetProperty("content").GetString())).ToList();
            return added.Count == Size - ByteCount && added.All(a => Instance.IdToToken(a.Item1) == a.Item2);
        }
        catch (Exception ex) when (ex is JsonException or KeyNotFoundException or InvalidOperationException or IOException)
        {
            return false;
        }
    }

    /// <summary>Loads a saved built-in tokenizer, checking it is one.</summary>
    public static BuiltinTokenizer Load(string tokenizerJsonPath)
    {
        if (!File.Exists(tokenizerJsonPath)) throw new ToolSharpException($"{tokenizerJsonPath}: file not found");
        if (!Matches(tokenizerJsonPath)) throw new ToolSharpException($"{tokenizerJsonPath}: not the built-in byte tokenizer (expected 256 byte tokens, no merges and its 32 special tokens)");
        return Instance;
    }
}
