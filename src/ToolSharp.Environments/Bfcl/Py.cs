using System.Globalization;
using System.Numerics;
using System.Text;
using System.Text.Json;
using ToolSharp.Core.Json;

namespace ToolSharp.Environments.Bfcl;

/// <summary>JSON values as Python's <c>json.loads</c> sees them, with Python's <c>type()</c>, <c>==</c>, <c>in</c> and <c>repr</c>.</summary>
/// <remarks>
/// The BFCL checker is Python; its verdicts depend on Python semantics, which this reproduces: numbers written without
/// fraction or exponent are <c>int</c> (arbitrary size), others <c>float</c> (a double); <c>True == 1</c> and
/// <c>1 == 1.0</c> compare equal although their <c>type()</c>s differ; lists compare element-wise and dicts by key set
/// and values. Values are: <c>null</c> (None), <see cref="bool"/>, <see cref="BigInteger"/>, <see cref="double"/>,
/// <see cref="string"/>, <see cref="PyList"/> and <see cref="PyDict"/>.
/// </remarks>
internal static class Py
{
    /// <summary>A Python list.</summary>
    internal sealed class PyList(List<object?> items)
    {
        public List<object?> Items { get; } = items;
    }

    /// <summary>A Python dict with string keys, in insertion order (a repeated JSON key keeps its first place and last value, as in Python).</summary>
    internal sealed class PyDict
    {
        public List<string> Keys { get; } = [];
        public Dictionary<string, object?> Values { get; } = new(StringComparer.Ordinal);

        public void Set(string key, object? value)
        {
            if (!Values.ContainsKey(key)) Keys.Add(key);
            Values[key] = value;
        }

        public bool ContainsKey(string key) => Values.ContainsKey(key);

        public object? this[string key] => Values[key];

        public IEnumerable<(string Key, object? Value)> Items() => Keys.Select(k => (k, Values[k]));
    }

    public static object? FromJson(JsonElement e) => e.ValueKind switch
    {
        JsonValueKind.Null or JsonValueKind.Undefined => null,
        JsonValueKind.True => true,
        JsonValueKind.False => false,
        JsonValueKind.String => e.GetString()!,
        JsonValueKind.Number => JsonValues.IsInteger(e)
            ? BigInteger.Parse(e.GetRawText(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture)
            : double.Parse(e.GetRawText(), NumberStyles.Float, CultureInfo.InvariantCulture),
        JsonValueKind.Array => new PyList(e.EnumerateArray().Select(FromJson).ToList()),
        _ => ObjectFromJson(e),
    };

    private static PyDict ObjectFromJson(JsonElement e)
    {
        var dict = new PyDict();
        foreach (var p in e.EnumerateObject()) dict.Set(p.Name, FromJson(p.Value));
        return dict;
    }

    /// <summary>Python's <c>type(value).__name__</c>.</summary>
    public static string TypeName(object? value) => value switch
    {
        null => "NoneType",
        bool => "bool",
        BigInteger => "int",
        double => "float",
        string => "str",
        PyList => "list",
        PyDict => "dict",
        _ => value.GetType().Name,
    };

    /// <summary>Python's <c>a == b</c>.</summary>
    public static bool Equal(object? a, object? b)
    {
        if (IsNumber(a) && IsNumber(b)) return NumbersEqual(a!, b!);
        return (a, b) switch
        {
            (null, null) => true,
            (string x, string y) => string.Equals(x, y, StringComparison.Ordinal),
            (PyList x, PyList y) => x.Items.Count == y.Items.Count && x.Items.Zip(y.Items).All(p => Equal(p.First, p.Second)),
            (PyDict x, PyDict y) => x.Keys.Count == y.Keys.Count && x.Keys.All(k => y.ContainsKey(k) && Equal(x[k], y[k])),
            _ => false,
        };
    }

    /// <summary>Python's <c>value in container</c> for a list (equality), a dict (key) or a str (substring).</summary>
    public static bool In(object? value, object? container) => container switch
    {
        PyList list => list.Items.Any(item => Equal(value, item)),
        PyDict dict => value is string key && dict.ContainsKey(key),
        string s => value is string sub && s.Contains(sub, StringComparison.Ordinal),
        _ => false, // Python raises TypeError; the checker treats it as "not found"
    };

    /// <summary>The items Python's <c>for x in value</c> yields: list items, dict keys or characters; none for other types.</summary>
    public static IReadOnlyList<object?> Iterate(object? value) => value switch
    {
        PyList list => list.Items,
        PyDict dict => dict.Keys.Cast<object?>().ToList(),
        string s => s.EnumerateRunes().Select(r => (object?)r.ToString()).ToList(),
        _ => [],
    };

    /// <summary>Python's <c>len(value)</c>, or null where Python raises TypeError.</summary>
    public static int? Len(object? value) => value switch
    {
        PyList list => list.Items.Count,
        PyDict dict => dict.Keys.Count,
        string s => s.EnumerateRunes().Count(),
        _ => null,
    };

    /// <summary>Python's <c>repr(value)</c>, for error messages.</summary>
    public static string Repr(object? value) => value switch
    {
        null => "None",
        true => "True",
        false => "False",
        BigInteger i => i.ToString(CultureInfo.InvariantCulture),
        double d => FloatRepr(d),
        string s => StringRepr(s),
        PyList list => "[" + string.Join(", ", list.Items.Select(Repr)) + "]",
        PyDict dict => "{" + string.Join(", ", dict.Items().Select(p => $"{StringRepr(p.Key)}: {Repr(p.Value)}")) + "}",
        _ => value.ToString() ?? "",
    };

    private static bool IsNumber(object? v) => v is bool or BigInteger or double;

    private static bool NumbersEqual(object a, object b)
    {
        if (a is double x && b is double y) return x == y;
        if (a is double || b is double)
        {
            var (d, other) = a is double da ? (da, b) : ((double)b, a);
            if (double.IsNaN(d) || double.IsInfinity(d) || Math.Floor(d) != d) return false;
            return new BigInteger(d) == ToInteger(other);
        }
        return ToInteger(a) == ToInteger(b);
    }

    private static BigInteger ToInteger(object v) => v switch
    {
        bool b => b ? BigInteger.One : BigInteger.Zero,
        BigInteger i => i,
        _ => throw new InvalidOperationException("not an integer"),
    };

    private static string FloatRepr(double d)
    {
        if (double.IsNaN(d)) return "nan";
        if (double.IsPositiveInfinity(d)) return "inf";
        if (double.IsNegativeInfinity(d)) return "-inf";
        var r = d.ToString("R", CultureInfo.InvariantCulture);
        return r.Contains('.') || r.Contains('E') ? r.Replace("E+", "e+").Replace("E-", "e-") : r + ".0";
    }

    private static string StringRepr(string s)
    {
        var quote = s.Contains('\'') && !s.Contains('"') ? '"' : '\'';
        var sb = new StringBuilder().Append(quote);
        foreach (var c in s)
        {
            if (c == quote || c == '\\') sb.Append('\\').Append(c);
            else if (c == '\n') sb.Append("\\n");
            else if (c == '\t') sb.Append("\\t");
            else sb.Append(c);
        }
        return sb.Append(quote).ToString();
    }
}
