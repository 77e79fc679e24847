using System.Globalization;

namespace ToolSharp.Text.Tokenization;

/// <summary>
/// Hand-written equivalent of the Qwen2/Llama-3 split regex
/// <c>(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}{1,K}| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+</c>.
/// </summary>
/// <remarks>
/// Each branch is resolved in the regex's alternation order, including the backtracking of <c>\s*[\r\n]+</c>
/// (ends after the last newline of a whitespace run) and <c>\s+(?!\S)</c> (leaves the run's last space to the next word).
/// Classes are taken per code point, so surrogate pairs are classified correctly. Case folding of the contractions is
/// ASCII only, as in the reference implementations.
/// </remarks>
internal sealed class ScannerWordSplitter(int maxDigits) : WordSplitter
{
    private const byte Other = 0, Letter = 1, Number = 2, Space = 3;

    private static readonly byte[] Ascii = BuildAscii();

    public override void Split(ReadOnlySpan<char> text, List<(int Start, int Length)> words)
    {
        var i = 0;
        while (i < text.Length)
        {
            var end = NextWordEnd(text, i);
            words.Add((i, end - i));
            i = end;
        }
    }

    /// <summary>The end (exclusive) of the word starting at <paramref name="i"/>.</summary>
    public int NextWordEnd(ReadOnlySpan<char> s, int i)
    {
        var c = s[i];
        // 1. contractions
        if (c == '\'' && i + 1 < s.Length)
        {
            var c1 = (char)(s[i + 1] | 0x20);
            if (c1 is 's' or 't' or 'm' or 'd' && IsAsciiLetter(s[i + 1])) return i + 2;
            if (i + 2 < s.Length && IsAsciiLetter(s[i + 1]) && IsAsciiLetter(s[i + 2]))
            {
                var c2 = (char)(s[i + 2] | 0x20);
                if ((c1 == 'r' && c2 == 'e') || (c1 == 'v' && c2 == 'e') || (c1 == 'l' && c2 == 'l')) return i + 3;
            }
        }

        var cls = Classify(s, i, out var n);
        // 2. [^\r\n\p{L}\p{N}]?\p{L}+
        if (cls == Letter) return SkipClass(s, i + n, Letter);
        if (cls != Number && c != '\r' && c != '\n' && i + n < s.Length && Classify(s, i + n, out var n2) == Letter)
            return SkipClass(s, i + n + n2, Letter);
        // 3. \p{N}{1,K}
        if (cls == Number)
        {
            var j = i + n;
            for (var count = 1; count < maxDigits && j < s.Length && Classify(s, j, out var nd) == Number; count++) j += nd;
            return j;
        }
        // 4. ' ?[^\s\p{L}\p{N}]+[\r\n]*'
        var start = i;
        if (c == ' ' && i + 1 < s.Length && Classify(s, i + 1, out _) == Other) start = i + 1;
        if (Classify(s, start, out _) == Other)
        {
            var j = SkipClass(s, start, Other);
            while (j < s.Length && s[j] is '\r' or '\n') j++;
            return j;
        }
        // Only whitespace remains (cls == Space). 5. \s*[\r\n]+ : ends after the run's last newline.
        var k = i;
        var lastNewline = -1;
        while (k < s.Length && Classify(s, k, out var ns) == Space)
        {
            if (s[k] is '\r' or '\n') lastNewline = k;
            k += ns;
        }
        if (lastNewline >= 0) return lastNewline + 1;
        // 6. \s+(?!\S) : whole run at the end of text, else all but the last space (7. \s+ for a run of one).
        if (k == s.Length) return k;
        return k - i >= 2 ? k - 1 : k;
    }

    private static bool IsAsciiLetter(char c) => (uint)((c | 0x20) - 'a') <= 'z' - 'a';

    private static int SkipClass(ReadOnlySpan<char> s, int j, byte cls)
    {
        while (j < s.Length && Classify(s, j, out var n) == cls) j += n;
        return j;
    }

    /// <summary>The class of the code point at <paramref name="i"/> and its length in UTF-16 units.</summary>
    private static byte Classify(ReadOnlySpan<char> s, int i, out int length)
    {
        var c = s[i];
        length = 1;
        if (c < 128) return Ascii[c];
        int cp = c;
        if (char.IsHighSurrogate(c) && i + 1 < s.Length && char.IsLowSurrogate(s[i + 1]))
        {
            cp = char.ConvertToUtf32(c, s[i + 1]);
            length = 2;
        }
        return ClassOf(cp);
    }

    private static byte ClassOf(int cp)
    {
        switch (CharUnicodeInfo.GetUnicodeCategory(cp))
        {
            case UnicodeCategory.UppercaseLetter:
            case UnicodeCategory.LowercaseLetter:
            case UnicodeCategory.TitlecaseLetter:
            case UnicodeCategory.ModifierLetter:
            case UnicodeCategory.OtherLetter:
                return Letter;
            case UnicodeCategory.DecimalDigitNumber:
            case UnicodeCategory.LetterNumber:
            case UnicodeCategory.OtherNumber:
                return Number;
            default:
                return cp <= 0xFFFF && char.IsWhiteSpace((char)cp) ? Space : Other;
        }
    }

    private static byte[] BuildAscii()
    {
        var t = new byte[128];
        for (var c = 0; c < 128; c++) t[c] = ClassOf(c);
        return t;
    }
}
