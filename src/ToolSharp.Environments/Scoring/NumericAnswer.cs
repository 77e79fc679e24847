using System.Text.RegularExpressions;
using ToolSharp.Environments.Calculator;

namespace ToolSharp.Environments.Scoring;

/// <summary>Reads the numeric answer out of free text, and compares numbers exactly.</summary>
/// <remarks>
/// Where the answer is taken from: the explicit marker written last, one of <c>Answer: …</c> (case-insensitive, with a
/// colon), <c>#### …</c> (GSM8K) or <c>\boxed{…}</c>; without any, the last number anywhere in the text.
/// Normalisation: digit-group commas and currency signs are dropped (<c>$1,234</c> → 1234), units and percent signs
/// after the number are ignored, a Unicode minus counts as a minus, and numbers compare as exact rationals, so
/// <c>72.0</c> = <c>72</c> and <c>0.50</c> = <c>1/2</c>. After an explicit marker a fraction <c>a/b</c> is read as a number.
/// </remarks>
public static partial class NumericAnswer
{
    /// <summary>How the answer was found, for scoring details.</summary>
    public enum Source
    {
        AnswerMarker,
        HashMarker,
        Boxed,
        LastNumber,
    }

    /// <summary>Extracts the answer number; false when the text holds no number.</summary>
    public static bool TryExtract(string? text, out Rational value, out Source source)
    {
        value = default;
        source = Source.LastNumber;
        if (string.IsNullOrWhiteSpace(text)) return false;

        // Of the explicit markers, the one written last wins ("Answer: 5 … #### 6" means 6).
        var bestIndex = -1;
        foreach (var (regex, kind) in Markers)
        {
            var matches = regex.Matches(text);
            for (var i = matches.Count - 1; i >= 0 && matches[i].Index > bestIndex; i--)
            {
                var number = NumberOrFraction().Match(matches[i].Groups["rest"].Value);
                if (number.Success && TryParseNumber(number.Value, out var candidate))
                {
                    (value, source, bestIndex) = (candidate, kind, matches[i].Index);
                    break;
                }
            }
        }
        if (bestIndex >= 0) return true;
        var all = Number().Matches(text);
        for (var i = all.Count - 1; i >= 0; i--)
        {
            if (TryParseNumber(all[i].Value, out value)) return true;
        }
        return false;
    }

    /// <summary>Parses one number written the way people and models write them: <c>-1,234.50</c>, <c>$12</c>, <c>3/4</c>, <c>−5</c>.</summary>
    public static bool TryParseNumber(string text, out Rational value)
    {
        value = default;
        var s = text.Trim().Replace('−', '-').Replace("$", "").Replace("€", "").Replace("£", "").Replace(" ", "");
        s = s.TrimEnd('%', '.');
        var slash = s.IndexOf('/');
        if (slash > 0)
        {
            if (!TryParseNumber(s[..slash], out var numerator) || !TryParseNumber(s[(slash + 1)..], out var denominator) || denominator.Sign == 0)
                return false;
            value = numerator / denominator;
            return true;
        }
        if (GroupedNumber().IsMatch(s)) s = s.Replace(",", "");
        return Rational.TryParse(s, out value);
    }

    /// <summary>True when <paramref name="got"/> is the same number as <paramref name="expected"/> (both as text).</summary>
    public static bool Same(string expected, Rational got) => TryParseNumber(expected, out var e) && e == got;

    private static readonly (Regex Regex, Source Kind)[] Markers =
    [
        (AnswerMarker(), Source.AnswerMarker),
        (HashMarker(), Source.HashMarker),
        (Boxed(), Source.Boxed),
    ];

    [GeneratedRegex(@"\banswer\s*(?:is)?\s*:\s*(?<rest>(?:(?!\banswer\s*(?:is)?\s*:)[^\n])*)", RegexOptions.IgnoreCase)]
    private static partial Regex AnswerMarker();

    [GeneratedRegex(@"####\s*(?<rest>[^\n]*)")]
    private static partial Regex HashMarker();

    [GeneratedRegex(@"\\boxed\{(?<rest>[^}]*)\}")]
    private static partial Regex Boxed();

    // A number with optional sign, currency sign, digit groups and decimals; in marker text also a/b.
    [GeneratedRegex(@"[-−]?[$€£]?(?:(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?|\.\d+)(?:\s*/\s*\d+)?")]
    private static partial Regex NumberOrFraction();

    [GeneratedRegex(@"(?<![\w.])[-−]?[$€£]?(?:(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?|\.\d+)")]
    private static partial Regex Number();

    [GeneratedRegex(@"^-?\d{1,3}(,\d{3})+(\.\d+)?$")]
    private static partial Regex GroupedNumber();
}
