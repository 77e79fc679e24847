using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace ToolSharp.Environments.Scoring;

/// <summary>Compares a free-text answer with the accepted forms of a short reference answer (a name, a code, a city).</summary>
/// <remarks>
/// The answer is the text after the last <c>Answer:</c>, or else the last non-empty line. Both sides are normalised
/// (case, accents and punctuation ignored, a leading "the" dropped). Correct when the answer equals an accepted form,
/// or contains one as whole words while being at most three words longer ("Paris, France" passes; a list of ten
/// candidates does not).
/// </remarks>
public static partial class TextAnswer
{
    /// <summary>The part of <paramref name="text"/> that holds the answer, before normalisation.</summary>
    public static string Extract(string text)
    {
        var matches = Marker().Matches(text);
        if (matches.Count > 0) return matches[^1].Groups["rest"].Value.Trim();
        var lines = text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        return lines.Length == 0 ? "" : lines[^1];
    }

    /// <summary>True when the answer in <paramref name="text"/> matches one of <paramref name="accepted"/>.</summary>
    public static bool Matches(string text, IEnumerable<string> accepted)
    {
        var answer = Normalize(Extract(text));
        if (answer.Length == 0) return false;
        var answerWords = answer.Split(' ');
        foreach (var form in accepted)
        {
            var expected = Normalize(form);
            if (expected.Length == 0) continue;
            if (answer == expected) return true;
            var words = expected.Split(' ');
            if (answerWords.Length <= words.Length + 3 && ContainsWords(answerWords, words)) return true;
        }
        return false;
    }

    /// <summary><see cref="Fold"/>, then a leading "the" dropped.</summary>
    public static string Normalize(string text)
    {
        var n = Fold(text);
        return n.StartsWith("the ", StringComparison.Ordinal) ? n[4..] : n;
    }

    /// <summary>Lower-case, accents removed, every run of other characters a single space: "Côte d'Ivoire" → "cote d ivoire".</summary>
    /// <remarks>Accents are folded with a table (Latin-1 and Latin Extended-A) because the invariant globalization mode ToolSharp runs in does not decompose Unicode.</remarks>
    public static string Fold(string text)
    {
        var sb = new StringBuilder(text.Length);
        var space = false;
        foreach (var raw in text)
        {
            var ch = char.ToLowerInvariant(raw);
            var folded = AccentFolds.TryGetValue(ch, out var plain) ? plain : ch.ToString();
            if (folded.Length > 0 && char.IsLetterOrDigit(folded[0]))
            {
                if (space && sb.Length > 0) sb.Append(' ');
                sb.Append(folded);
                space = false;
            }
            else if (CharUnicodeInfo.GetUnicodeCategory(ch) != UnicodeCategory.NonSpacingMark) space = true;
        }
        return sb.ToString();
    }

    private static readonly Dictionary<char, string> AccentFolds = BuildAccentFolds();

    private static Dictionary<char, string> BuildAccentFolds()
    {
        var table = new Dictionary<char, string>();
        void Add(string accented, string plain)
        {
            foreach (var c in accented) table[c] = plain;
        }
        Add("àáâãäåāăą", "a");
        Add("çćĉċč", "c");
        Add("ďđ", "d");
        Add("èéêëēĕėęě", "e");
        Add("ĝğġģ", "g");
        Add("ĥħ", "h");
        Add("ìíîïĩīĭįı", "i");
        Add("ĵ", "j");
        Add("ķ", "k");
        Add("ĺļľŀł", "l");
        Add("ñńņňŉ", "n");
        Add("òóôõöøōŏő", "o");
        Add("ŕŗř", "r");
        Add("śŝşš", "s");
        Add("ţťŧ", "t");
        Add("ùúûüũūŭůűų", "u");
        Add("ŵ", "w");
        Add("ýÿŷ", "y");
        Add("źżž", "z");
        table['ß'] = "ss";
        table['æ'] = "ae";
        table['œ'] = "oe";
        table['þ'] = "th";
        table['ð'] = "d";
        return table;
    }

    private static bool ContainsWords(string[] haystack, string[] needle)
    {
        for (var i = 0; i + needle.Length <= haystack.Length; i++)
        {
            if (haystack.AsSpan(i, needle.Length).SequenceEqual(needle)) return true;
        }
        return false;
    }

    [GeneratedRegex(@"\banswer\s*(?:is)?\s*:(?<rest>[^\n]*)", RegexOptions.IgnoreCase)]
    private static partial Regex Marker();
}
