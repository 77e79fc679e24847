using System.Globalization;
using System.Text;

namespace ToolSharp.Text.Templates.Jinja;

/// <summary>Python's <c>str()</c>, <c>repr()</c> and float formatting for template values, so output matches Jinja2 under CPython.</summary>
internal static class PythonFormat
{
    public static string Str(object? v) => v switch
    {
        null => "None",
        string s => s,
        bool b => b ? "True" : "False",
        long l => l.ToString(CultureInfo.InvariantCulture),
        double d => FloatRepr(d),
        JinjaUndefined => "",
        _ => Repr(v),
    };

    public static string Repr(object? v)
    {
        var sb = new StringBuilder();
        AppendRepr(sb, v);
        return sb.ToString();
    }

    private static void AppendRepr(StringBuilder sb, object? v)
    {
        switch (v)
        {
            case string s: AppendStringRepr(sb, s); break;
            case List<object?> list:
                sb.Append('[');
                for (var i = 0; i < list.Count; i++)
                {
                    if (i > 0) sb.Append(", ");
                    AppendRepr(sb, list[i]);
                }
                sb.Append(']');
                break;
            case OrderedDictionary<string, object?> dict:
                sb.Append('{');
                var first = true;
                foreach (var (k, val) in dict)
                {
                    if (!first) sb.Append(", ");
                    first = false;
                    AppendStringRepr(sb, k);
                    sb.Append(": ");
                    AppendRepr(sb, val);
                }
                sb.Append('}');
                break;
            case JinjaNamespace: sb.Append("<Namespace>"); break;
            case JinjaCallable c: sb.Append("<function ").Append(c.Name).Append('>'); break;
            case JinjaUndefined: sb.Append("Undefined"); break;
            default: sb.Append(Str(v)); break;
        }
    }

    /// <summary>Python's repr of a str: single quotes unless the text holds ' and no ", escapes for control characters.</summary>
    public static void AppendStringRepr(StringBuilder sb, string s)
    {
        var quote = s.Contains('\'') && !s.Contains('"') ? '"' : '\'';
        sb.Append(quote);
        foreach (var c in s)
        {
            switch (c)
            {
                case '\\': sb.Append("\\\\"); break;
                case '\n': sb.Append("\\n"); break;
                case '\r': sb.Append("\\r"); break;
                case '\t': sb.Append("\\t"); break;
                default:
                    if (c == quote) sb.Append('\\').Append(c);
                    else if (c < 0x20 || c == 0x7f) sb.Append("\\x").Append(((int)c).ToString("x2", CultureInfo.InvariantCulture));
                    else sb.Append(c);
                    break;
            }
        }
        sb.Append(quote);
    }

    /// <summary>Python's <c>repr(float)</c>: shortest round-trip digits, exponent form below 1e-4 and from 1e16.</summary>
    public static string FloatRepr(double d)
    {
        if (double.IsNaN(d)) return "nan";
        if (double.IsPositiveInfinity(d)) return "inf";
        if (double.IsNegativeInfinity(d)) return "-inf";
        if (d == 0) return double.IsNegative(d) ? "-0.0" : "0.0";
        // Shortest round-trip digits come from "R"; take digits and exponent from it.
        var shortest = d.ToString("R", CultureInfo.InvariantCulture);
        var negative = shortest.StartsWith('-');
        if (negative) shortest = shortest[1..];
        var exp = 0;
        var ePos = shortest.IndexOfAny(['E', 'e']);
        if (ePos >= 0)
        {
            exp = int.Parse(shortest[(ePos + 1)..], CultureInfo.InvariantCulture);
            shortest = shortest[..ePos];
        }
        var dot = shortest.IndexOf('.');
        var intPart = dot < 0 ? shortest : shortest[..dot];
        var fracPart = dot < 0 ? "" : shortest[(dot + 1)..];
        var digits = (intPart + fracPart).TrimStart('0');
        var leadingZeros = (intPart + fracPart).Length - (intPart + fracPart).TrimStart('0').Length;
        // Value = 0.digits × 10^pointPos
        var pointPos = intPart.Length + exp - leadingZeros;
        digits = digits.TrimEnd('0');
        if (digits.Length == 0) digits = "0";
        var exp10 = pointPos - 1;
        string body;
        if (exp10 < -4 || exp10 >= 16)
        {
            var mantissa = digits.Length == 1 ? digits : digits[0] + "." + digits[1..];
            body = mantissa + "e" + (exp10 < 0 ? "-" : "+") + Math.Abs(exp10).ToString("00", CultureInfo.InvariantCulture);
        }
        else if (pointPos <= 0)
        {
            body = "0." + new string('0', -pointPos) + digits;
        }
        else if (pointPos >= digits.Length)
        {
            body = digits + new string('0', pointPos - digits.Length) + ".0";
        }
        else
        {
            body = digits[..pointPos] + "." + digits[pointPos..];
        }
        return negative ? "-" + body : body;
    }
}
