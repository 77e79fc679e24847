using System.Text;

namespace ToolSharp.Text.Templates.Jinja;

/// <summary>A runtime error inside the template (wrong type, undefined attribute, …); the interpreter adds the line.</summary>
internal sealed class JinjaRuntimeError(string message) : Exception(message);

/// <summary>Python semantics of template values: truthiness, equality, ordering, arithmetic, attribute and item access, iteration.</summary>
internal static class JinjaOps
{
    public static string TypeName(object? v) => v switch
    {
        null => "None",
        bool => "bool",
        long => "int",
        double => "float",
        string => "str",
        List<object?> => "list",
        OrderedDictionary<string, object?> => "dict",
        JinjaUndefined => "undefined",
        JinjaNamespace => "namespace",
        JinjaCallable => "function",
        JinjaLoop => "LoopContext",
        _ => v.GetType().Name,
    };

    public static bool Truthy(object? v) => v switch
    {
        null => false,
        bool b => b,
        long l => l != 0,
        double d => d != 0,
        string s => s.Length > 0,
        List<object?> l => l.Count > 0,
        OrderedDictionary<string, object?> d => d.Count > 0,
        JinjaUndefined => false,
        _ => true,
    };

    public static bool IsNumber(object? v) => v is long or double or bool;

    private static double AsDouble(object? v) => v switch
    {
        long l => l,
        double d => d,
        bool b => b ? 1 : 0,
        _ => throw new JinjaRuntimeError($"expected a number, found {TypeName(v)}"),
    };

    private static long AsLong(object? v) => v switch
    {
        long l => l,
        bool b => b ? 1 : 0,
        _ => throw new JinjaRuntimeError($"expected an integer, found {TypeName(v)}"),
    };

    public static new bool Equals(object? a, object? b)
    {
        if (a is JinjaUndefined || b is JinjaUndefined) return a is JinjaUndefined && b is JinjaUndefined;
        if (a is null || b is null) return a is null && b is null;
        if (IsNumber(a) && IsNumber(b))
            return a is double || b is double ? AsDouble(a) == AsDouble(b) : AsLong(a) == AsLong(b);
        switch (a)
        {
            case string s: return b is string t && s == t;
            case List<object?> la:
                if (b is not List<object?> lb || la.Count != lb.Count) return false;
                for (var i = 0; i < la.Count; i++) if (!Equals(la[i], lb[i])) return false;
                return true;
            case OrderedDictionary<string, object?> da:
                if (b is not OrderedDictionary<string, object?> db || da.Count != db.Count) return false;
                foreach (var (k, v) in da) if (!db.TryGetValue(k, out var w) || !Equals(v, w)) return false;
                return true;
            default: return ReferenceEquals(a, b);
        }
    }

    public static int Compare(object? a, object? b)
    {
        if (IsNumber(a) && IsNumber(b)) return AsDouble(a).CompareTo(AsDouble(b));
        if (a is string s && b is string t) return string.CompareOrdinal(s, t);
        if (a is List<object?> la && b is List<object?> lb)
        {
            for (var i = 0; i < Math.Min(la.Count, lb.Count); i++)
            {
                if (Equals(la[i], lb[i])) continue;
                return Compare(la[i], lb[i]);
            }
            return la.Count.CompareTo(lb.Count);
        }
        throw new JinjaRuntimeError($"'<' not supported between {TypeName(a)} and {TypeName(b)}");
    }

    public static bool Contains(object? container, object? item) => container switch
    {
        string s => item is string t ? s.Contains(t, StringComparison.Ordinal) : throw new JinjaRuntimeError($"'in <string>' requires string as left operand, not {TypeName(item)}"),
        List<object?> l => l.Any(x => Equals(x, item)),
        OrderedDictionary<string, object?> d => item is string k && d.ContainsKey(k),
        JinjaUndefined u => throw new JinjaRuntimeError($"{u.Description} is undefined (used with 'in')"),
        _ => throw new JinjaRuntimeError($"argument of type '{TypeName(container)}' is not iterable"),
    };

    public static object? Binary(string op, object? a, object? b)
    {
        if (a is JinjaUndefined ua && op != "~") throw new JinjaRuntimeError($"{ua.Description} is undefined (left of '{op}')");
        if (b is JinjaUndefined ub && op != "~") throw new JinjaRuntimeError($"{ub.Description} is undefined (right of '{op}')");
        switch (op)
        {
            case "~": return PythonFormat.Str(a) + PythonFormat.Str(b);
            case "+":
                if (a is string sa && b is string sb) return sa + sb;
                if (a is List<object?> la && b is List<object?> lb) return new List<object?>([.. la, .. lb]);
                break;
            case "*":
                if (a is string rs && b is long n) return n <= 0 ? "" : new StringBuilder().Insert(0, rs, (int)n).ToString();
                if (a is List<object?> rl && b is long m) return Enumerable.Range(0, (int)Math.Max(0, m)).SelectMany(_ => rl).ToList();
                break;
            case "%":
                if (a is string fmt) return PercentFormat(fmt, b);
                break;
        }
        if (!IsNumber(a) || !IsNumber(b))
            throw new JinjaRuntimeError($"unsupported operand types for {op}: '{TypeName(a)}' and '{TypeName(b)}'");
        var integral = a is not double && b is not double;
        switch (op)
        {
            case "+": return integral ? (object)(AsLong(a) + AsLong(b)) : AsDouble(a) + AsDouble(b);
            case "-": return integral ? (object)(AsLong(a) - AsLong(b)) : AsDouble(a) - AsDouble(b);
            case "*": return integral ? (object)(AsLong(a) * AsLong(b)) : AsDouble(a) * AsDouble(b);
            case "/":
                if (AsDouble(b) == 0) throw new JinjaRuntimeError("division by zero");
                return AsDouble(a) / AsDouble(b);
            case "//":
                if (AsDouble(b) == 0) throw new JinjaRuntimeError("integer division or modulo by zero");
                return integral ? (object)FloorDiv(AsLong(a), AsLong(b)) : Math.Floor(AsDouble(a) / AsDouble(b));
            case "%":
                if (AsDouble(b) == 0) throw new JinjaRuntimeError("integer division or modulo by zero");
                if (integral) { var x = AsLong(a); var y = AsLong(b); return (object)(x - FloorDiv(x, y) * y); }
                var (p, q) = (AsDouble(a), AsDouble(b));
                return p - Math.Floor(p / q) * q;
            case "**":
                if (integral && AsLong(b) >= 0) return (long)Math.Pow(AsLong(a), AsLong(b));
                return Math.Pow(AsDouble(a), AsDouble(b));
        }
        throw new JinjaRuntimeError($"unknown operator {op}");
    }

    private static long FloorDiv(long a, long b)
    {
        var q = a / b;
        if ((a % b != 0) && ((a < 0) != (b < 0))) q--;
        return q;
    }

    private static string PercentFormat(string fmt, object? args)
    {
        var values = args is List<object?> l ? l : [args];
        var sb = new StringBuilder();
        var k = 0;
        for (var i = 0; i < fmt.Length; i++)
        {
            if (fmt[i] != '%' || i + 1 >= fmt.Length) { sb.Append(fmt[i]); continue; }
            var c = fmt[++i];
            if (c == '%') { sb.Append('%'); continue; }
            if (k >= values.Count) throw new JinjaRuntimeError("not enough arguments for format string");
            var v = values[k++];
            sb.Append(c switch
            {
                'd' or 'i' => PythonFormat.Str(v is double d ? (long)d : v),
                'r' => PythonFormat.Repr(v),
                _ => PythonFormat.Str(v),
            });
        }
        return sb.ToString();
    }

    public static object? Negate(object? v) => v switch
    {
        long l => (object)-l,
        double d => -d,
        bool b => b ? -1L : 0L,
        _ => throw new JinjaRuntimeError($"bad operand type for unary -: '{TypeName(v)}'"),
    };

    /// <summary><c>obj.name</c>: dict keys, namespace attributes, loop attributes; undefined when absent.</summary>
    public static object? GetAttribute(object? target, string name)
    {
        switch (target)
        {
            case OrderedDictionary<string, object?> d:
                return d.TryGetValue(name, out var v) ? v : new JinjaUndefined($"'{name}'");
            case JinjaLoop loop:
                return loop.Get(name);
            case JinjaNamespace ns:
                return ns.Attributes.TryGetValue(name, out var nv) ? nv : new JinjaUndefined($"namespace attribute '{name}'");
            case JinjaUndefined u:
                throw new JinjaRuntimeError($"{u.Description} is undefined (reading its attribute '{name}')");
            case null:
                throw new JinjaRuntimeError($"'None' has no attribute '{name}'");
            default:
                return new JinjaUndefined($"'{TypeName(target)}' attribute '{name}'");
        }
    }

    /// <summary><c>obj[key]</c> with Python indexing (negative indices count from the end).</summary>
    public static object? GetItem(object? target, object? key)
    {
        switch (target)
        {
            case OrderedDictionary<string, object?> d:
                return key is string k && d.TryGetValue(k, out var v) ? v : new JinjaUndefined($"key {PythonFormat.Repr(key)}");
            case List<object?> l when key is long i:
                if (i < 0) i += l.Count;
                return i >= 0 && i < l.Count ? l[(int)i] : new JinjaUndefined($"index {key} of a list of {l.Count}");
            case string s when key is long j:
            {
                var runes = s;
                if (j < 0) j += runes.Length;
                return j >= 0 && j < runes.Length ? runes[(int)j].ToString() : new JinjaUndefined($"index {key} of a string of {s.Length}");
            }
            case JinjaNamespace or JinjaUndefined when key is string name:
                return GetAttribute(target, name);
            case JinjaUndefined u:
                throw new JinjaRuntimeError($"{u.Description} is undefined (indexing it with {PythonFormat.Repr(key)})");
            case null:
                throw new JinjaRuntimeError($"'None' object is not subscriptable");
            default:
                return new JinjaUndefined($"{PythonFormat.Repr(key)} of {TypeName(target)}");
        }
    }

    public static object? Slice(object? target, object? start, object? stop, object? step)
    {
        var st = step is null or JinjaUndefined ? 1 : AsLong(step);
        if (st == 0) throw new JinjaRuntimeError("slice step cannot be zero");
        int n;
        Func<List<int>, object?> build;
        switch (target)
        {
            case List<object?> l: n = l.Count; build = idx => idx.Select(i => l[i]).ToList(); break;
            case string s: n = s.Length; build = idx => new string([.. idx.Select(i => s[i])]); break;
            case JinjaUndefined u: throw new JinjaRuntimeError($"{u.Description} is undefined (slicing it)");
            default: throw new JinjaRuntimeError($"'{TypeName(target)}' object is not subscriptable");
        }
        long Clamp(object? v, long dflt, long lo, long hi)
        {
            if (v is null or JinjaUndefined) return dflt;
            var x = AsLong(v);
            if (x < 0) x += n;
            return Math.Clamp(x, lo, hi);
        }
        var indices = new List<int>();
        if (st > 0)
        {
            var a = Clamp(start, 0, 0, n);
            var b = Clamp(stop, n, 0, n);
            for (var i = a; i < b; i += st) indices.Add((int)i);
        }
        else
        {
            var a = Clamp(start, n - 1, -1, n - 1);
            var b = Clamp(stop, -1, -1, n - 1);
            for (var i = a; i > b; i += st) indices.Add((int)i);
        }
        return build(indices);
    }

    /// <summary>Iterates a value the way a for loop does: lists, dict keys, characters; undefined iterates as empty.</summary>
    public static List<object?> Iterate(object? v) => v switch
    {
        List<object?> l => l,
        OrderedDictionary<string, object?> d => d.Keys.Cast<object?>().ToList(),
        string s => s.Select(c => (object?)c.ToString()).ToList(),
        JinjaUndefined => [],
        _ => throw new JinjaRuntimeError($"'{TypeName(v)}' object is not iterable"),
    };

    public static long Length(object? v) => v switch
    {
        string s => s.Length,
        List<object?> l => l.Count,
        OrderedDictionary<string, object?> d => d.Count,
        JinjaUndefined => 0,
        _ => throw new JinjaRuntimeError($"object of type '{TypeName(v)}' has no len()"),
    };
}
