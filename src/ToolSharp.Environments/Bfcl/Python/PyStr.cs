using System.Runtime.CompilerServices;
using System.Globalization;
using System.Text;

namespace ToolSharp.Environments.Bfcl.Python;

/// <summary>Python's <c>str</c>: its repr and the methods BFCL's backends call, with Python's results and errors.</summary>
/// <remarks>
/// Python strings are sequences of code points; .NET strings of UTF-16 units. Lengths, iteration and ordering here count
/// code points. Each method takes the receiver as <c>object?</c> and raises <c>AttributeError</c> when it is not a
/// str, as calling the method on another type does in Python.
/// </remarks>
internal static class PyStr
{
    /// <summary>Python's <c>repr(s)</c>: single quotes unless the text has ' and no ", escapes for \\, the quote,
    /// \t \n \r, other control and non-printable characters as \xhh, \uhhhh or \Uhhhhhhhh.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static string Repr(string s) => WriteRepr(new StringBuilder(s.Length + 2), s).ToString();

    /// <summary>Appends <c>repr(s)</c> to <paramref name="sb"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static StringBuilder WriteRepr(StringBuilder sb, string s)
    {
        var quote = s.Contains('\'') && !s.Contains('"') ? '"' : '\'';
        sb.Append(quote);
        for (var i = 0; i < s.Length; i++)
        {
            int cp = s[i];
            if (char.IsHighSurrogate(s[i]) && i + 1 < s.Length && char.IsLowSurrogate(s[i + 1]))
            {
                cp = char.ConvertToUtf32(s[i], s[i + 1]);
                i++;
            }
            if (cp == quote || cp == '\\') sb.Append('\\').Append((char)cp);
            else if (cp == '\t') sb.Append("\\t");
            else if (cp == '\n') sb.Append("\\n");
            else if (cp == '\r') sb.Append("\\r");
            else if (cp < ' ' || cp == 0x7f) sb.Append("\\x").Append(cp.ToString("x2"));
            else if (cp < 0x7f) sb.Append((char)cp);
            else if (IsPrintable(cp)) sb.Append(char.ConvertFromUtf32(cp));
            else if (cp <= 0xff) sb.Append("\\x").Append(cp.ToString("x2"));
            else if (cp <= 0xffff) sb.Append("\\u").Append(cp.ToString("x4"));
            else sb.Append("\\U").Append(cp.ToString("x8"));
        }
        return sb.Append(quote);
    }

    private static bool IsPrintable(int cp)
    {
        if (cp is >= 0xD800 and <= 0xDFFF) return false;
        return CharUnicodeInfo.GetUnicodeCategory(cp) switch
        {
            UnicodeCategory.Control or UnicodeCategory.Format or UnicodeCategory.Surrogate or UnicodeCategory.PrivateUse
                or UnicodeCategory.OtherNotAssigned or UnicodeCategory.LineSeparator or UnicodeCategory.ParagraphSeparator
                or UnicodeCategory.SpaceSeparator => cp == ' ',
            _ => true,
        };
    }

    /// <summary>The code points of <paramref name="s"/>, each as a one-character Python string.</summary>
    public static IReadOnlyList<object?> Characters(string s)
    {
        var list = new List<object?>(s.Length);
        for (var i = 0; i < s.Length; i++)
        {
            if (char.IsHighSurrogate(s[i]) && i + 1 < s.Length && char.IsLowSurrogate(s[i + 1]))
            {
                list.Add(s.Substring(i, 2));
                i++;
            }
            else list.Add(s[i].ToString());
        }
        return list;
    }

    /// <summary><c>len(s)</c> in code points.</summary>
    public static int Length(string s)
    {
        var n = 0;
        for (var i = 0; i < s.Length; i++)
        {
            if (char.IsHighSurrogate(s[i]) && i + 1 < s.Length && char.IsLowSurrogate(s[i + 1])) i++;
            n++;
        }
        return n;
    }

    /// <summary>Orders by code point, as Python compares strings.</summary>
    public static int CompareCodePoints(string a, string b)
    {
        var i = 0;
        var j = 0;
        while (i < a.Length && j < b.Length)
        {
            var x = CodePointAt(a, ref i);
            var y = CodePointAt(b, ref j);
            if (x != y) return x.CompareTo(y);
        }
        return (i < a.Length).CompareTo(j < b.Length);
    }

    private static int CodePointAt(string s, ref int i)
    {
        if (char.IsHighSurrogate(s[i]) && i + 1 < s.Length && char.IsLowSurrogate(s[i + 1]))
        {
            var cp = char.ConvertToUtf32(s[i], s[i + 1]);
            i += 2;
            return cp;
        }
        return s[i++];
    }

    /// <summary>The receiver as a str, or <c>AttributeError</c> naming the method Python would not find.</summary>
    public static string Self(object? receiver, string method) =>
        receiver as string ?? throw PyException.AttributeError(receiver, method);

    /// <summary>Python's <c>str.isspace()</c> for one character: Unicode whitespace plus the separators \x1c–\x1f.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static bool IsSpace(char c) => char.IsWhiteSpace(c) || c is >= '\x1c' and <= '\x1f';

    public static string Lower(object? receiver) => Self(receiver, "lower").ToLowerInvariant();

    /// <summary><c>s.rstrip(chars)</c>.</summary>
    public static string RStrip(object? receiver, object? chars = null)
    {
        var s = Self(receiver, "rstrip");
        var set = StripChars(chars, "rstrip");
        var end = s.Length;
        while (end > 0 && (set is null ? IsSpace(s[end - 1]) : set.Contains(s[end - 1]))) end--;
        return s[..end];
    }

    /// <summary><c>s.strip(chars)</c>.</summary>
    public static string Strip(object? receiver, object? chars = null)
    {
        var s = Self(receiver, "strip");
        var set = StripChars(chars, "strip");
        var start = 0;
        var end = s.Length;
        while (start < end && (set is null ? IsSpace(s[start]) : set.Contains(s[start]))) start++;
        while (end > start && (set is null ? IsSpace(s[end - 1]) : set.Contains(s[end - 1]))) end--;
        return s[start..end];
    }

    private static string? StripChars(object? chars, string method) => chars switch
    {
        null => null,
        string c => c,
        _ => throw PyException.TypeError($"{method} arg must be None or str"),
    };

    /// <summary><c>s.split()</c>: runs of whitespace separate, empty pieces are dropped.</summary>
    public static PyList SplitWhitespace(object? receiver)
    {
        var s = Self(receiver, "split");
        var parts = new List<object?>();
        var i = 0;
        while (i < s.Length)
        {
            while (i < s.Length && IsSpace(s[i])) i++;
            if (i >= s.Length) break;
            var start = i;
            while (i < s.Length && !IsSpace(s[i])) i++;
            parts.Add(s[start..i]);
        }
        return new PyList(parts);
    }

    /// <summary><c>s.split(sep)</c> with a non-empty separator.</summary>
    public static PyList Split(object? receiver, object? separator)
    {
        var s = Self(receiver, "split");
        if (separator is null) return SplitWhitespace(s);
        if (separator is not string sep) throw PyException.TypeError($"must be str or None, not {Py.TypeName(separator)}");
        if (sep.Length == 0) throw PyException.ValueError("empty separator");
        return new PyList(s.Split(sep).Select(p => (object?)p).ToList());
    }

    /// <summary><c>s.splitlines()</c>: breaks at \n, \r, \r\n, \v, \f, \x1c–\x1e, \x85, \u2028 and \u2029.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static PyList SplitLines(object? receiver)
    {
        var s = Self(receiver, "splitlines");
        var lines = new List<object?>();
        var start = 0;
        var i = 0;
        while (i < s.Length)
        {
            var c = s[i];
            if (c is '\n' or '\r' or '\v' or '\f' or '\x1c' or '\x1d' or '\x1e' or '\x85' or '\u2028' or '\u2029')
            {
                lines.Add(s[start..i]);
                i += c == '\r' && i + 1 < s.Length && s[i + 1] == '\n' ? 2 : 1;
                start = i;
            }
            else i++;
        }
        if (start < s.Length) lines.Add(s[start..]);
        return new PyList(lines);
    }

    /// <summary><c>s.startswith(prefix)</c> for a str or a tuple of str.</summary>
    public static bool StartsWith(object? receiver, object? prefix)
    {
        var s = Self(receiver, "startswith");
        return prefix switch
        {
            string p => s.StartsWith(p, StringComparison.Ordinal),
            PyTuple t => t.Items.Any(p => p is string ps
                ? s.StartsWith(ps, StringComparison.Ordinal)
                : throw PyException.TypeError($"tuple for startswith must only contain str, not {Py.TypeName(p)}")),
            _ => throw PyException.TypeError($"startswith first arg must be str or a tuple of str, not {Py.TypeName(prefix)}"),
        };
    }

    /// <summary><c>ch.isdigit()</c> for a one-character string (any character with a digit value, e.g. '²').</summary>
    public static bool IsDigit(string s)
    {
        if (s.Length == 0) return false;
        for (var i = 0; i < s.Length; i++)
        {
            if (char.IsSurrogate(s[i])) return false;
            if (CharUnicodeInfo.GetDigitValue(s[i]) < 0) return false;
        }
        return true;
    }

    /// <summary><c>s.zfill(width)</c>.</summary>
    public static string ZFill(string s, int width)
    {
        if (s.Length >= width) return s;
        var sign = s.Length > 0 && s[0] is '+' or '-';
        var pad = new string('0', width - s.Length);
        return sign ? s[0] + pad + s[1..] : pad + s;
    }

    /// <summary><c>separator.join(items)</c>: every item must be a str.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static string Join(string separator, object? iterable)
    {
        var items = Py.Iter(iterable);
        var sb = new StringBuilder();
        for (var i = 0; i < items.Count; i++)
        {
            if (items[i] is not string s) throw PyException.TypeError($"sequence item {i}: expected str instance, {Py.TypeName(items[i])} found");
            if (i > 0) sb.Append(separator);
            sb.Append(s);
        }
        return sb.ToString();
    }

    /// <summary><c>template.format(**names)</c> for templates with named fields and <c>{{ }}</c> escapes; an unknown
    /// name raises <c>KeyError</c>, as in Python.</summary>
    public static string Format(string template, IReadOnlyDictionary<string, object?> names)
    {
        var sb = new StringBuilder(template.Length);
        for (var i = 0; i < template.Length; i++)
        {
            var c = template[i];
            if (c == '{')
            {
                if (i + 1 < template.Length && template[i + 1] == '{')
                {
                    sb.Append('{');
                    i++;
                    continue;
                }
                var close = template.IndexOf('}', i + 1);
                if (close < 0) throw PyException.ValueError("expected '}' before end of string");
                var field = template[(i + 1)..close];
                if (field.Length == 0 || char.IsAsciiDigit(field[0]))
                    throw PyException.IndexError($"Replacement index {(field.Length == 0 ? "0" : field)} out of range for positional args tuple");
                if (!names.TryGetValue(field, out var value)) throw PyException.KeyError(field);
                sb.Append(Py.Str(value));
                i = close;
            }
            else if (c == '}')
            {
                if (i + 1 < template.Length && template[i + 1] == '}')
                {
                    sb.Append('}');
                    i++;
                    continue;
                }
                throw PyException.ValueError("Single '}' encountered in format string");
            }
            else sb.Append(c);
        }
        return sb.ToString();
    }
}
