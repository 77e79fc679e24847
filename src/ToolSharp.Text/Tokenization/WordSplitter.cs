using System.Text.RegularExpressions;

namespace ToolSharp.Text.Tokenization;

/// <summary>The pre-tokenizer's split: cuts normalized text into words that BPE encodes independently.</summary>
internal abstract class WordSplitter
{
    /// <summary>Appends (start, length) of each word of <paramref name="text"/>, in order, covering all of it.</summary>
    public abstract void Split(ReadOnlySpan<char> text, List<(int Start, int Length)> words);

    /// <summary>The Qwen2 (single digits) and Llama-3 (up to 3 digits) patterns, which every recent byte-level BPE uses.</summary>
    public const string Qwen2Pattern = @"(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+";

    public const string Llama3Pattern = @"(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}{1,3}| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+";

    /// <summary>GPT-2's pattern, used by a ByteLevel pre-tokenizer with <c>use_regex: true</c>.</summary>
    public const string Gpt2Pattern = @"'s|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+";

    /// <summary>A hand-written scanner for the known patterns (fast, and correct on surrogate pairs), a .NET regex otherwise.</summary>
    public static WordSplitter ForPattern(string pattern) => pattern switch
    {
        Qwen2Pattern => new ScannerWordSplitter(maxDigits: 1),
        Llama3Pattern => new ScannerWordSplitter(maxDigits: 3),
        _ => new RegexWordSplitter(pattern),
    };
}

/// <summary>Splits with a .NET regex; gaps between matches become words too (HF's "Isolated" behaviour).</summary>
/// <remarks>.NET classes (\p{L}, \s) see UTF-16 code units, so a letter outside the BMP is not a letter here: prefer a pattern the scanner knows.</remarks>
internal sealed class RegexWordSplitter(string pattern) : WordSplitter
{
    private readonly Regex _regex = new(pattern, RegexOptions.Compiled | RegexOptions.CultureInvariant);

    public override void Split(ReadOnlySpan<char> text, List<(int Start, int Length)> words)
    {
        var last = 0;
        foreach (var m in _regex.EnumerateMatches(text))
        {
            if (m.Length == 0) continue;
            if (m.Index > last) words.Add((last, m.Index - last));
            words.Add((m.Index, m.Length));
            last = m.Index + m.Length;
        }
        if (last < text.Length) words.Add((last, text.Length - last));
    }
}
