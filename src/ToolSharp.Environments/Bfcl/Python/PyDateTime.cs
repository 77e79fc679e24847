using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace ToolSharp.Environments.Bfcl.Python;

/// <summary>Python's <c>datetime.strptime</c> for the numeric directives BFCL's backends use (%Y %m %d %H %M %S),
/// with <c>_strptime</c>'s patterns (1–2 digit fields, whitespace in the format matching any run of whitespace) and its
/// error messages.</summary>
internal static class PyDateTime
{
    private static readonly Dictionary<char, string> Directives = new()
    {
        ['Y'] = @"(?<Y>\d\d\d\d)",
        ['m'] = @"(?<m>1[0-2]|0[1-9]|[1-9])",
        ['d'] = @"(?<d>3[01]|[12]\d|0[1-9]|[1-9]| [1-9])",
        ['H'] = @"(?<H>2[0-3]|[0-1]\d|\d)",
        ['M'] = @"(?<M>[0-5]\d|\d)",
        ['S'] = @"(?<S>6[0-1]|[0-5]\d|\d)",
    };

    private static readonly Dictionary<string, Regex> Patterns = new(StringComparer.Ordinal);

    /// <summary><c>datetime.strptime(text, format)</c>.</summary>
    public static DateTime Parse(object? text, string format)
    {
        if (text is not string s) throw PyException.TypeError($"strptime() argument 1 must be str, not {(text is null ? "None" : Py.TypeName(text))}");
        Regex regex;
        lock (Patterns)
        {
            if (!Patterns.TryGetValue(format, out regex!)) Patterns[format] = regex = Build(format);
        }
        var match = regex.Match(s);
        if (!match.Success) throw PyException.ValueError($"time data {Py.Repr(s)} does not match format {Py.Repr(format)}");
        if (match.Length != s.Length) throw PyException.ValueError($"unconverted data remains: {s[match.Length..]}");
        int Field(string name, int fallback) => match.Groups[name].Success ? Digits(match.Groups[name].Value) : fallback;
        var year = Field("Y", 1900);
        var month = Field("m", 1);
        var day = Field("d", 1);
        if (year < 1) throw PyException.ValueError($"year {year} is out of range");
        if (day > DateTime.DaysInMonth(year, month)) throw PyException.ValueError("day is out of range for month");
        var second = Field("S", 0);
        if (second > 59) throw PyException.ValueError("second must be in 0..59");
        return new DateTime(year, month, day, Field("H", 0), Field("M", 0), second);
    }

    private static int Digits(string text) =>
        text.Trim().Aggregate(0, (n, c) => n * 10 + (int)char.GetNumericValue(c));

    private static Regex Build(string format)
    {
        var sb = new StringBuilder("^");
        for (var i = 0; i < format.Length; i++)
        {
            var c = format[i];
            if (c == '%' && i + 1 < format.Length && Directives.TryGetValue(format[i + 1], out var pattern))
            {
                sb.Append(pattern);
                i++;
            }
            else if (char.IsWhiteSpace(c))
            {
                while (i + 1 < format.Length && char.IsWhiteSpace(format[i + 1])) i++;
                sb.Append(@"\s+");
            }
            else sb.Append(Regex.Escape(c.ToString()));
        }
        return new Regex(sb.ToString(), RegexOptions.IgnoreCase | RegexOptions.CultureInvariant);
    }

    /// <summary><c>dt.strftime('%Y-%m-%d %H:%M:%S')</c>.</summary>
    public static string Format(DateTime value) => value.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture);
}
