using System.Buffers;
using System.Collections.Concurrent;
using System.Text;
using System.Text.Json;
using ToolSharp.Core.Errors;
using ToolSharp.Text.Builtin;

namespace ToolSharp.Text.Tokenization;

/// <summary>A Hugging Face byte-level BPE tokenizer (GPT-2, Qwen2/3, Llama-3 families) loaded from tokenizer.json.</summary>
/// <remarks>
/// Encoding follows the tokenizers library: added tokens are matched atomically (leftmost, longest first) in the raw
/// text; each remaining span is normalized (NFC/NFKC when configured), split into words by the pre-tokenizer pattern,
/// mapped to bytes and merged by rank. Unpaired surrogates become U+FFFD first. Words are cached, so repeated words
/// cost one dictionary lookup. Post-processors (BOS insertion) are not applied: chat templates write the BOS text.
/// Instances are thread-safe.
/// </remarks>
public sealed class BpeTokenizer : ITokenizer
{
    private const int CacheLimit = 500_000;
    private const int CachedWordMaxLength = 64;

    private readonly string[] _idToToken;
    private readonly Dictionary<string, int> _tokenToId;
    private readonly int[] _byteToId = new int[256];
    private readonly BpeMerger _merger;
    private readonly bool _ignoreMerges;
    private readonly WordSplitter? _splitter;
    private readonly bool _addPrefixSpace;
    private readonly NormalizationForm? _normalization;
    private readonly AddedToken[] _added;
    private readonly Dictionary<int, AddedToken> _addedById;
    private readonly Dictionary<string, int> _addedByContent;
    private readonly SearchValues<char> _addedFirstChars;
    private readonly AddedToken[] _addedLongestFirst;
    private readonly ConcurrentDictionary<string, int[]> _cache = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, int[]>.AlternateLookup<ReadOnlySpan<char>> _cacheLookup;

    private BpeTokenizer(string source, Dictionary<string, int> vocab, IEnumerable<(string Left, string Right)> merges, bool ignoreMerges,
        WordSplitter? splitter, bool addPrefixSpace, NormalizationForm? normalization, IReadOnlyList<AddedToken> added)
    {
        SourceName = source;
        _tokenToId = new Dictionary<string, int>(vocab, StringComparer.Ordinal);
        foreach (var a in added) _tokenToId[a.Content] = a.Id;
        var size = _tokenToId.Values.DefaultIfEmpty(-1).Max() + 1;
        _idToToken = new string[size];
        foreach (var (token, id) in _tokenToId) _idToToken[id] = token;

        for (var b = 0; b < 256; b++)
        {
            if (!vocab.TryGetValue(ByteLevel.ToUnicode[b].ToString(), out _byteToId[b]))
                throw new ToolSharpException($"{source}: model.vocab lacks the byte-level token for byte 0x{b:X2} ('{ByteLevel.ToUnicode[b]}'); expected a byte-level BPE vocabulary covering all 256 bytes");
        }

        var table = new Dictionary<long, long>();
        var rank = 0;
        foreach (var (left, right) in merges)
        {
            if (!vocab.TryGetValue(left, out var l) || !vocab.TryGetValue(right, out var r) || !vocab.TryGetValue(left + right, out var m))
                throw new ToolSharpException($"{source}: model.merges[{rank}] ('{left}' '{right}') names a token missing from model.vocab");
            table.TryAdd(BpeMerger.Key(l, r), BpeMerger.Value(rank, m));
            rank++;
        }
        _merger = new BpeMerger(table);
        _ignoreMerges = ignoreMerges;
        _splitter = splitter;
        _addPrefixSpace = addPrefixSpace;
        _normalization = normalization;
        _added = [.. added];
        _addedById = added.ToDictionary(a => a.Id);
        _addedByContent = added.ToDictionary(a => a.Content, a => a.Id, StringComparer.Ordinal);
        _addedLongestFirst = [.. added.Where(a => a.Content.Length > 0).OrderByDescending(a => a.Content.Length)];
        _addedFirstChars = SearchValues.Create([.. _addedLongestFirst.Select(a => a.Content[0]).Distinct()]);
        _cacheLookup = _cache.GetAlternateLookup<ReadOnlySpan<char>>();
    }

    /// <summary>Where the tokenizer was loaded from, for messages.</summary>
    public string SourceName { get; }

    public int VocabularySize => _idToToken.Length;

    /// <summary>Number of merge rules.</summary>
    public int MergeCount => _merger.Count;

    /// <summary>Every added token (specials such as <c>&lt;|im_start|&gt;</c> and non-special ones such as <c>&lt;think&gt;</c>).</summary>
    public IReadOnlyList<AddedToken> AddedTokens => _added;

    /// <summary>All added tokens by content: each is matched atomically in text and never produced by merges.</summary>
    public IReadOnlyDictionary<string, int> SpecialTokens => _addedByContent;

    public bool IsSpecial(int id) => _addedById.TryGetValue(id, out var a) && a.Special;

    public int? TokenToId(string token) => _tokenToId.TryGetValue(token, out var id) ? id : null;

    public string? IdToToken(int id) => (uint)id < (uint)_idToToken.Length ? _idToToken[id] : null;

    /// <summary>Loads a tokenizer.json file.</summary>
    public static BpeTokenizer Load(string path)
    {
        if (!File.Exists(path)) throw new ToolSharpException($"{path}: file not found");
        using var stream = File.OpenRead(path);
        JsonDocument doc;
        try
        {
            doc = JsonDocument.Parse(stream, new JsonDocumentOptions { MaxDepth = 256 });
        }
        catch (JsonException ex)
        {
            throw new InputFormatException(path, "", "a tokenizer.json document", $"invalid JSON ({ex.Message})", line: (int?)ex.LineNumber + 1, inner: ex);
        }
        using (doc) return FromJson(doc.RootElement, path);
    }

    /// <summary>Builds a tokenizer from the text of a tokenizer.json document.</summary>
    public static BpeTokenizer FromJsonText(string json, string source = "<tokenizer.json>")
    {
        using var doc = JsonDocument.Parse(json, new JsonDocumentOptions { MaxDepth = 256 });
        return FromJson(doc.RootElement, source);
    }

    private static BpeTokenizer FromJson(JsonElement root, string source)
    {
        if (!root.TryGetProperty("model", out var model) || model.ValueKind != JsonValueKind.Object)
            throw new InputFormatException(source, "model", "an object", "nothing");
        var type = model.TryGetProperty("type", out var t) ? t.GetString() : "BPE";
        if (type != "BPE") throw new InputFormatException(source, "model.type", "\"BPE\"", $"\"{type}\"");

        var vocab = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var p in model.GetProperty("vocab").EnumerateObject()) vocab[p.Name] = p.Value.GetInt32();
        var merges = new List<(string, string)>();
        var i = 0;
        foreach (var m in model.GetProperty("merges").EnumerateArray())
        {
            if (m.ValueKind == JsonValueKind.String)
            {
                var s = m.GetString()!;
                var space = s.IndexOf(' ', 1);
                if (space < 0) throw new InputFormatException(source, $"model.merges[{i}]", "\"left right\"", $"\"{s}\"");
                merges.Add((s[..space], s[(space + 1)..]));
            }
            else if (m.ValueKind == JsonValueKind.Array && m.GetArrayLength() == 2)
            {
                merges.Add((m[0].GetString()!, m[1].GetString()!));
            }
            else
            {
                throw new InputFormatException(source, $"model.merges[{i}]", "a \"left right\" string or a [left, right] pair", m.ValueKind.ToString());
            }
            i++;
        }
        var ignoreMerges = model.TryGetProperty("ignore_merges", out var im) && im.ValueKind == JsonValueKind.True;
        if (model.TryGetProperty("continuing_subword_prefix", out var csp) && csp.ValueKind == JsonValueKind.String && csp.GetString() != "")
            throw new InputFormatException(source, "model.continuing_subword_prefix", "null or \"\" (byte-level BPE)", $"\"{csp.GetString()}\"");

        var added = new List<AddedToken>();
        if (root.TryGetProperty("added_tokens", out var at) && at.ValueKind == JsonValueKind.Array)
        {
            foreach (var a in at.EnumerateArray())
            {
                added.Add(new AddedToken(
                    a.GetProperty("id").GetInt32(),
                    a.GetProperty("content").GetString()!,
                    Flag(a, "special"), Flag(a, "lstrip"), Flag(a, "rstrip"), Flag(a, "normalized")));
            }
        }

        var normalization = ReadNormalizer(root.TryGetProperty("normalizer", out var n) ? n : default, source, "normalizer");
        var (splitter, addPrefixSpace) = ReadPreTokenizer(root.TryGetProperty("pre_tokenizer", out var pt) ? pt : default, source);
        return new BpeTokenizer(source, vocab, merges, ignoreMerges, splitter, addPrefixSpace, normalization, added);
    }

    private static bool Flag(JsonElement e, string name) => e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.True;

    private static NormalizationForm? ReadNormalizer(JsonElement n, string source, string field)
    {
        if (n.ValueKind is JsonValueKind.Undefined or JsonValueKind.Null) return null;
        var type = n.GetProperty("type").GetString();
        switch (type)
        {
            case "NFC": return NormalizationForm.FormC;
            case "Sequence":
                NormalizationForm? form = null;
                var k = 0;
                foreach (var inner in n.GetProperty("normalizers").EnumerateArray())
                {
                    var f = ReadNormalizer(inner, source, $"{field}.normalizers[{k++}]");
                    if (f is not null && form is not null && f != form)
                        throw new InputFormatException(source, field, "at most one Unicode normalization", "two");
                    form ??= f;
                }
                return form;
            default:
                throw new InputFormatException(source, field + ".type", "NFC or a Sequence holding it (NFKC is not implemented)", $"\"{type}\"");
        }
    }

    private static (WordSplitter? Splitter, bool AddPrefixSpace) ReadPreTokenizer(JsonElement p, string source)
    {
        if (p.ValueKind is JsonValueKind.Undefined or JsonValueKind.Null)
            throw new InputFormatException(source, "pre_tokenizer", "a ByteLevel pre-tokenizer (optionally after a Split)", "null");
        var steps = p.GetProperty("type").GetString() == "Sequence" ? p.GetProperty("pretokenizers").EnumerateArray().ToList() : [p];
        WordSplitter? splitter = null;
        var addPrefixSpace = false;
        var sawByteLevel = false;
        for (var k = 0; k < steps.Count; k++)
        {
            var step = steps[k];
            var type = step.GetProperty("type").GetString();
            var field = steps.Count > 1 ? $"pre_tokenizer.pretokenizers[{k}]" : "pre_tokenizer";
            if (type == "Split")
            {
                var pattern = step.GetProperty("pattern");
                var regex = pattern.TryGetProperty("Regex", out var r) ? r.GetString()! : System.Text.RegularExpressions.Regex.Escape(pattern.GetProperty("String").GetString()!);
                var behavior = step.TryGetProperty("behavior", out var b) ? b.GetString() : "Isolated";
                var invert = Flag(step, "invert");
                if (behavior != "Isolated" || invert || splitter is not null)
                    throw new InputFormatException(source, field, "one Split with behavior Isolated and invert false", $"behavior {behavior}, invert {invert}");
                splitter = WordSplitter.ForPattern(regex);
            }
            else if (type == "ByteLevel")
            {
                sawByteLevel = true;
                addPrefixSpace = Flag(step, "add_prefix_space");
                var useRegex = !step.TryGetProperty("use_regex", out var ur) || ur.ValueKind == JsonValueKind.True;
                if (useRegex)
                {
                    if (splitter is not null) throw new InputFormatException(source, field, "use_regex false after a Split", "use_regex true");
                    splitter = WordSplitter.ForPattern(WordSplitter.Gpt2Pattern);
                }
            }
            else
            {
                throw new InputFormatException(source, field + ".type", "Split or ByteLevel", $"\"{type}\"");
            }
        }
        if (!sawByteLevel) throw new InputFormatException(source, "pre_tokenizer", "a ByteLevel step (byte-level BPE)", "none");
        return (splitter, addPrefixSpace);
    }

    // ---------- encoding ----------

    public IReadOnlyList<int> Encode(string text, bool allowSpecialTokens = true)
    {
        var ids = new List<int>(text.Length / 3 + 4);
        EncodeTo(text, ids, allowSpecialTokens);
        return ids;
    }

    /// <summary>Encodes text, appending the ids to <paramref name="ids"/>.</summary>
    public void EncodeTo(string text, List<int> ids, bool allowSpecialTokens = true)
    {
        text = TextSanitizer.ReplaceLoneSurrogates(text);
        var span = text.AsSpan();
        var start = 0;
        var searchFrom = 0;
        while (_addedLongestFirst.Length > 0 && searchFrom < span.Length)
        {
            var rel = span[searchFrom..].IndexOfAny(_addedFirstChars);
            if (rel < 0) break;
            var pos = searchFrom + rel;
            var match = MatchAdded(span, pos, allowSpecialTokens);
            if (match is null) { searchFrom = pos + 1; continue; }
            var segmentEnd = pos;
            var after = pos + match.Content.Length;
            if (match.LStrip) while (segmentEnd > start && char.IsWhiteSpace(span[segmentEnd - 1])) segmentEnd--;
            if (match.RStrip) while (after < span.Length && char.IsWhiteSpace(span[after])) after++;
            EncodeSegment(text, start, segmentEnd - start, ids);
            ids.Add(match.Id);
            start = searchFrom = after;
        }
        EncodeSegment(text, start, text.Length - start, ids);
    }

    private AddedToken? MatchAdded(ReadOnlySpan<char> s, int pos, bool allowSpecial)
    {
        foreach (var a in _addedLongestFirst)
        {
            if (a.Special && !allowSpecial) continue;
            if (s[pos..].StartsWith(a.Content, StringComparison.Ordinal)) return a;
        }
        return null;
    }

    private void EncodeSegment(string text, int start, int length, List<int> ids)
    {
        if (length == 0) return;
        var segment = start == 0 && length == text.Length ? text : text.Substring(start, length);
        if (_normalization is { } form) segment = TextSanitizer.Normalize(segment, form);
        if (_addPrefixSpace && segment[0] != ' ') segment = " " + segment;
        var span = segment.AsSpan();
        if (_splitter is ScannerWordSplitter scanner)
        {
            // Inline loop for the common case: no list of word ranges.
            for (var i = 0; i < span.Length;)
            {
                var end = scanner.NextWordEnd(span, i);
                EncodeWord(span[i..end], ids);
                i = end;
            }
            return;
        }
        if (_splitter is null)
        {
            EncodeWord(span, ids);
            return;
        }
        var words = new List<(int Start, int Length)>();
        _splitter.Split(span, words);
        foreach (var (s, l) in words) EncodeWord(span.Slice(s, l), ids);
    }

    private void EncodeWord(ReadOnlySpan<char> word, List<int> ids)
    {
        if (word.Length <= CachedWordMaxLength && _cacheLookup.TryGetValue(word, out var cached))
        {
            ids.AddRange(cached);
            return;
        }
        var result = EncodeWordUncached(word);
        if (word.Length <= CachedWordMaxLength && _cache.Count < CacheLimit) _cacheLookup.TryAdd(word, result);
        ids.AddRange(result);
    }

    private int[] EncodeWordUncached(ReadOnlySpan<char> word)
    {
        var maxBytes = Encoding.UTF8.GetMaxByteCount(word.Length);
        var rented = ArrayPool<byte>.Shared.Rent(maxBytes);
        var symbols = ArrayPool<int>.Shared.Rent(maxBytes);
        try
        {
            var n = Encoding.UTF8.GetBytes(word, rented);
            if (_ignoreMerges)
            {
                var chars = new char[n];
                for (var k = 0; k < n; k++) chars[k] = ByteLevel.ToUnicode[rented[k]];
                if (_tokenToId.TryGetValue(new string(chars), out var whole) && !_addedById.ContainsKey(whole)) return [whole];
            }
            for (var k = 0; k < n; k++) symbols[k] = _byteToId[rented[k]];
            var count = _merger.Merge(symbols, n);
            return symbols.AsSpan(0, count).ToArray();
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(rented);
            ArrayPool<int>.Shared.Return(symbols);
        }
    }

    // ---------- decoding ----------

    public string Decode(IReadOnlyList<int> ids, bool skipSpecialTokens = false)
    {
        var bytes = new List<byte>(ids.Count * 4);
        Span<byte> utf8 = stackalloc byte[4];
        foreach (var id in ids)
        {
            if ((uint)id >= (uint)_idToToken.Length || _idToToken[id] is null)
                throw new ArgumentOutOfRangeException(nameof(ids), $"token id {id} is not in the vocabulary of {SourceName} (size {_idToToken.Length})");
            if (_addedById.TryGetValue(id, out var added))
            {
                if (skipSpecialTokens && added.Special) continue;
                bytes.AddRange(Encoding.UTF8.GetBytes(added.Content));
                continue;
            }
            foreach (var c in _idToToken[id])
            {
                if (ByteLevel.ToByte.TryGetValue(c, out var b)) bytes.Add(b);
                else
                {
                    // Not a byte-level character (hand-edited vocabularies): keep it as text.
                    var n = new Rune(char.IsSurrogate(c) ? '\uFFFD' : c).EncodeToUtf8(utf8);
                    for (var k = 0; k < n; k++) bytes.Add(utf8[k]);
                }
            }
        }
        // Invalid UTF-8 (a partial character) decodes to U+FFFD, like Python's errors="replace".
        return Encoding.UTF8.GetString(bytes.ToArray());
    }
}
