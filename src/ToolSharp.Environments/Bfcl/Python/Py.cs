using System.Runtime.CompilerServices;
using System.Globalization;
using System.Numerics;
using System.Text;
using System.Text.Json;
using ToolSharp.Core.Json;

namespace ToolSharp.Environments.Bfcl.Python;

/// <summary>Python values as .NET objects, with Python's <c>type()</c>, <c>==</c>, truthiness, hashing, <c>in</c>,
/// iteration, <c>len</c>, ordering, <c>repr</c> and <c>str</c>.</summary>
/// <remarks>
/// BFCL's checkers and backends are Python; their verdicts and outputs depend on Python semantics, which this
/// reproduces. Values are: <c>null</c> (None), <see cref="bool"/>, <see cref="BigInteger"/> (int, any size),
/// <see cref="double"/> (float), <see cref="string"/>, <see cref="PyList"/>, <see cref="PyTuple"/>,
/// <see cref="PyDict"/>, <see cref="PySet"/> and <see cref="IPyObject"/>s. Numbers written without fraction or
/// exponent in JSON are ints, others floats; <c>True == 1</c> and <c>1 == 1.0</c> although their <c>type()</c>s differ.
/// The strict operations raise <see cref="PyException"/> with CPython 3.11's messages where Python raises.
/// The hottest helpers here and in the executor are marked <c>AggressiveOptimization</c>: a scoring run calls them
/// hundreds of thousands of times in a process that lives seconds, mostly before tiered compilation would optimise them.
/// </remarks>
internal static class Py
{
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

    /// <summary>An int from a .NET integer.</summary>
    public static BigInteger Int(long value) => new(value);

    /// <summary>Python's <c>type(value).__name__</c>.</summary>
    public static string TypeName(object? value) => value switch
    {
        null => "NoneType",
        bool => "bool",
        BigInteger => "int",
        double => "float",
        string => "str",
        PyList => "list",
        PyTuple => "tuple",
        PyDict => "dict",
        PySet => "set",
        IPyObject o => o.TypeName,
        _ => value.GetType().Name,
    };

    public static bool IsNumber(object? v) => v is bool or BigInteger or double;

    /// <summary>True for int and bool (Python's <c>isinstance(v, int)</c>).</summary>
    public static bool IsIntegral(object? v) => v is bool or BigInteger;

    /// <summary>An int or bool as an integer.</summary>
    public static BigInteger ToInteger(object? v) => v switch
    {
        bool b => b ? BigInteger.One : BigInteger.Zero,
        BigInteger i => i,
        _ => throw new InvalidOperationException($"not an integer: {TypeName(v)}"),
    };

    /// <summary>Python's <c>a == b</c>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static bool Equal(object? a, object? b)
    {
        if (a is string sa) return b is string sb ? string.Equals(sa, sb, StringComparison.Ordinal) : b is IPyObject o && o.PyEquals(a);
        if (IsNumber(a) && IsNumber(b)) return NumbersEqual(a!, b!);
        return (a, b) switch
        {
            (null, null) => true,
            (string x, string y) => string.Equals(x, y, StringComparison.Ordinal),
            (PyList x, PyList y) => SequenceEqual(x.Items, y.Items),
            (PyTuple x, PyTuple y) => SequenceEqual(x.Items, y.Items),
            (PyDict x, PyDict y) => DictEqual(x, y),
            (PySet x, PySet y) => x.Count == y.Count && x.Items.All(y.Contains),
            (IPyObject x, _) => x.PyEquals(b),
            (_, IPyObject y) => y.PyEquals(a),
            _ => false,
        };
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static bool SequenceEqual(IReadOnlyList<object?> x, IReadOnlyList<object?> y)
    {
        if (x.Count != y.Count) return false;
        for (var i = 0; i < x.Count; i++)
        {
            if (!ReferenceEquals(x[i], y[i]) && !Equal(x[i], y[i])) return false;
        }
        return true;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static bool DictEqual(PyDict x, PyDict y)
    {
        if (x.Count != y.Count) return false;
        foreach (var (key, value) in x.Items())
        {
            if (!y.TryGetValue(key, out var other)) return false;
            if (!ReferenceEquals(value, other) && !Equal(value, other)) return false;
        }
        return true;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
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

    /// <summary>Python's <c>bool(value)</c>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static bool Truthy(object? value) => value switch
    {
        null => false,
        bool b => b,
        BigInteger i => !i.IsZero,
        double d => d != 0,
        string s => s.Length > 0,
        PyList l => l.Count > 0,
        PyTuple t => t.Items.Count > 0,
        PyDict d => d.Count > 0,
        PySet s => s.Count > 0,
        _ => true,
    };

    /// <summary>Raises <c>TypeError: unhashable type</c> for lists, dicts, sets and objects that define only <c>__eq__</c>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void RequireHashable(object? value)
    {
        if (value is string) return;
        switch (value)
        {
            case PyList or PyDict or PySet or IPyObject:
                throw PyException.TypeError($"unhashable type: '{TypeName(value)}'");
            case PyTuple t:
                foreach (var item in t.Items) RequireHashable(item);
                break;
        }
    }

    /// <summary>A hash consistent with <see cref="Equal"/> for hashable values (equal numbers of any type hash alike).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static int Hash(object? value) => value switch
    {
        string s => StringComparer.Ordinal.GetHashCode(s),
        null => 0x5f3759df,
        bool b => b ? 1 : 0,
        BigInteger i => i >= long.MinValue && i <= long.MaxValue ? ((long)i).GetHashCode() : i.GetHashCode(),
        double d => !double.IsInfinity(d) && Math.Floor(d) == d ? Hash(new BigInteger(d)) : d.GetHashCode(),
        PyTuple t => t.Items.Aggregate(17, (h, item) => unchecked(h * 31 + Hash(item))),
        _ => throw PyException.TypeError($"unhashable type: '{TypeName(value)}'"),
    };

    [ThreadStatic]
    private static StringBuilder? _reprBuffer;

    /// <summary>Python's <c>repr(value)</c>.</summary>
    public static string Repr(object? value)
    {
        switch (value)
        {
            case null: return "None";
            case bool b: return b ? "True" : "False";
            case BigInteger i: return IntToString(i);
            case double d: return PyFloat.Repr(d);
            case string s: return PyStr.Repr(s);
            case IPyObject o: return o.Repr();
        }
        var sb = Interlocked.Exchange(ref _reprBuffer, null) ?? new StringBuilder(1024);
        try
        {
            WriteRepr(sb, value);
            return sb.ToString();
        }
        finally
        {
            sb.Clear();
            if (sb.Capacity <= 1 << 22) _reprBuffer = sb;
        }
    }

    /// <summary>Appends <c>repr(value)</c> to <paramref name="sb"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void WriteRepr(StringBuilder sb, object? value)
    {
        switch (value)
        {
            case string s:
                PyStr.WriteRepr(sb, s);
                break;
            case PyList list:
                sb.Append('[');
                for (var i = 0; i < list.Items.Count; i++)
                {
                    if (i > 0) sb.Append(", ");
                    WriteRepr(sb, list.Items[i]);
                }
                sb.Append(']');
                break;
            case PyTuple t:
                sb.Append('(');
                for (var i = 0; i < t.Items.Count; i++)
                {
                    if (i > 0) sb.Append(", ");
                    WriteRepr(sb, t.Items[i]);
                }
                sb.Append(t.Items.Count == 1 ? ",)" : ")");
                break;
            case PyDict dict:
                sb.Append('{');
                var first = true;
                foreach (var (k, v) in dict.Items())
                {
                    if (!first) sb.Append(", ");
                    first = false;
                    WriteRepr(sb, k);
                    sb.Append(": ");
                    WriteRepr(sb, v);
                }
                sb.Append('}');
                break;
            case PySet set:
                if (set.Count == 0)
                {
                    sb.Append("set()");
                    break;
                }
                sb.Append('{');
                var firstItem = true;
                foreach (var item in set.Items)
                {
                    if (!firstItem) sb.Append(", ");
                    firstItem = false;
                    WriteRepr(sb, item);
                }
                sb.Append('}');
                break;
            default:
                sb.Append(value switch
                {
                    null => "None",
                    bool b => b ? "True" : "False",
                    BigInteger i => IntToString(i),
                    double d => PyFloat.Repr(d),
                    IPyObject o => o.Repr(),
                    _ => value.ToString() ?? "",
                });
                break;
        }
    }

    /// <summary>Python's <c>str(value)</c>: strings as they are, everything else as its repr.</summary>
    public static string Str(object? value) => value as string ?? Repr(value);

    /// <summary><c>str(int)</c>, with CPython 3.11's limit of 4,300 digits for int-to-string conversion.</summary>
    public static string IntToString(BigInteger i)
    {
        var s = i.ToString(CultureInfo.InvariantCulture);
        var digits = s.Length - (i.Sign < 0 ? 1 : 0);
        if (digits > 4300)
            throw PyException.ValueError("Exceeds the limit (4300 digits) for integer string conversion; use sys.set_int_max_str_digits() to increase the limit");
        return s;
    }

    /// <summary>Python's <c>item in container</c>; raises where Python raises (non-containers, unhashable keys, non-str in str).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static bool Contains(object? container, object? item) => container switch
    {
        string s => item is string sub
            ? s.Contains(sub, StringComparison.Ordinal)
            : throw PyException.TypeError($"'in <string>' requires string as left operand, not {TypeName(item)}"),
        PyList list => list.Items.Any(x => ReferenceEquals(x, item) || Equal(x, item)),
        PyTuple t => t.Items.Any(x => ReferenceEquals(x, item) || Equal(x, item)),
        PyDict d => d.ContainsKey(item),
        PySet set => set.Contains(item),
        _ => throw PyException.TypeError($"argument of type '{TypeName(container)}' is not iterable"),
    };

    /// <summary><c>value in container</c> for the AST checker: where Python raises, "not found".</summary>
    public static bool In(object? value, object? container)
    {
        try
        {
            return Contains(container, value);
        }
        catch (PyException)
        {
            return false;
        }
    }

    /// <summary>The items Python's <c>for x in value</c> yields; raises <c>TypeError</c> for non-iterables.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static IReadOnlyList<object?> Iter(object? value) => value switch
    {
        PyList list => list.Items,
        PyTuple t => t.Items,
        PyDict dict => dict.Keys.ToList(),
        PySet set => set.Items.ToList(),
        string s => PyStr.Characters(s),
        _ => throw PyException.TypeError($"'{TypeName(value)}' object is not iterable"),
    };

    /// <summary>The items of <c>for x in value</c> for the AST checker; none for non-iterables.</summary>
    public static IReadOnlyList<object?> Iterate(object? value)
    {
        try
        {
            return Iter(value);
        }
        catch (PyException)
        {
            return [];
        }
    }

    /// <summary>Python's <c>len(value)</c>, or null where Python raises TypeError.</summary>
    public static int? Len(object? value) => value switch
    {
        PyList list => list.Count,
        PyTuple t => t.Items.Count,
        PyDict dict => dict.Count,
        PySet set => set.Count,
        string s => PyStr.Length(s),
        _ => null,
    };

    /// <summary>Python's <c>len(value)</c>; raises <c>TypeError</c> for values without a length.</summary>
    public static int LenStrict(object? value) =>
        Len(value) ?? throw PyException.TypeError($"object of type '{TypeName(value)}' has no len()");

    /// <summary>Python's ordering <c>a op b</c> for op in &lt; &lt;= &gt; &gt;=.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static bool Compare(object? a, string op, object? b)
    {
        var c = Order(a, op, b);
        return op switch
        {
            "<" => c < 0,
            "<=" => c <= 0,
            ">" => c > 0,
            ">=" => c >= 0,
            _ => throw new ArgumentException(op),
        };
    }

    public static bool Lt(object? a, object? b) => Compare(a, "<", b);

    public static bool Le(object? a, object? b) => Compare(a, "<=", b);

    public static bool Gt(object? a, object? b) => Compare(a, ">", b);

    public static bool Ge(object? a, object? b) => Compare(a, ">=", b);

    // NaN compares false both ways; sign 2 stands for "unordered".
    private static int Order(object? a, string op, object? b)
    {
        if (IsNumber(a) && IsNumber(b))
        {
            if (a is double x && double.IsNaN(x) || b is double y && double.IsNaN(y)) return Unordered(op);
            if (a is double || b is double)
            {
                if (a is double da && b is double db) return da.CompareTo(db);
                return a is double d1 ? CompareFloatInt(d1, ToInteger(b)) : -CompareFloatInt((double)b!, ToInteger(a));
            }
            return ToInteger(a).CompareTo(ToInteger(b));
        }
        return (a, b) switch
        {
            (string x, string y) => PyStr.CompareCodePoints(x, y),
            (PyList x, PyList y) => SequenceOrder(x.Items, y.Items, op),
            (PyTuple x, PyTuple y) => SequenceOrder(x.Items, y.Items, op),
            _ => throw PyException.TypeError($"'{op}' not supported between instances of '{TypeName(a)}' and '{TypeName(b)}'"),
        };
    }

    private static int Unordered(string op) => op is "<" or "<=" ? 1 : -1;

    private static int CompareFloatInt(double d, BigInteger i)
    {
        if (double.IsPositiveInfinity(d)) return 1;
        if (double.IsNegativeInfinity(d)) return -1;
        var floor = Math.Floor(d);
        var c = new BigInteger(floor).CompareTo(i);
        if (c != 0) return c;
        return d > floor ? 1 : 0;
    }

    private static int SequenceOrder(IReadOnlyList<object?> x, IReadOnlyList<object?> y, string op)
    {
        for (var i = 0; i < Math.Min(x.Count, y.Count); i++)
        {
            if (ReferenceEquals(x[i], y[i]) || Equal(x[i], y[i])) continue;
            return Order(x[i], op, y[i]);
        }
        return x.Count.CompareTo(y.Count);
    }

    /// <summary>A .NET value as a Python value: C# ints and longs become Python ints; everything else is kept.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static object? Value(object? v) => v switch
    {
        int i => new BigInteger(i),
        long l => new BigInteger(l),
        _ => v,
    };

    /// <summary>Builds a dict from key/value pairs (C# ints become Python ints).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static PyDict Dict(params (object? Key, object? Value)[] items)
    {
        var d = new PyDict(items.Length);
        foreach (var (key, value) in items) d.Set(Value(key), Value(value));
        return d;
    }

    /// <summary>Builds a list (C# ints become Python ints).</summary>
    public static PyList List(params object?[] items) => new(items.Select(Value).ToList());
}
