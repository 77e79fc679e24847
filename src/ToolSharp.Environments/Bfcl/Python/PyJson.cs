using System.Runtime.CompilerServices;
using System.Text;
using ToolSharp.Core.Json;

namespace ToolSharp.Environments.Bfcl.Python;

/// <summary>Python's <c>json.dumps(obj)</c> with its defaults: <c>", "</c> / <c>": "</c> separators, <c>ensure_ascii</c>,
/// <c>NaN</c>/<c>Infinity</c> for non-finite floats, int/float/bool/None keys turned into strings.</summary>
/// <remarks>Anything else (a set, a <c>Decimal</c>, a backend object) raises <c>TypeError</c>, as Python's encoder
/// does; BFCL's executor then falls back to <c>str(result)</c>.</remarks>
internal static class PyJson
{
    [ThreadStatic]
    private static StringBuilder? _buffer;

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static string Dumps(object? value)
    {
        // Results can be large (long-context lists); one buffer per thread saves regrowing it for every call.
        var sb = Interlocked.Exchange(ref _buffer, null) ?? new StringBuilder(4096);
        try
        {
            Write(sb, value, 0);
            return sb.ToString();
        }
        finally
        {
            sb.Clear();
            if (sb.Capacity <= 1 << 22) _buffer = sb;
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Write(StringBuilder sb, object? value, int depth)
    {
        if (depth > 900) throw PyException.ValueError("Circular reference detected");
        switch (value)
        {
            case null: sb.Append("null"); break;
            case true: sb.Append("true"); break;
            case false: sb.Append("false"); break;
            case System.Numerics.BigInteger i: sb.Append(Py.IntToString(i)); break;
            case double d: sb.Append(Float(d)); break;
            case string s: PythonStyleJson.WriteString(sb, s, ensureAscii: true); break;
            case PyList list: WriteArray(sb, list.Items, depth); break;
            case PyTuple tuple: WriteArray(sb, tuple.Items, depth); break;
            case PyDict dict:
                sb.Append('{');
                var first = true;
                foreach (var (key, item) in dict.Items())
                {
                    if (!first) sb.Append(", ");
                    first = false;
                    PythonStyleJson.WriteString(sb, Key(key), ensureAscii: true);
                    sb.Append(": ");
                    Write(sb, item, depth + 1);
                }
                sb.Append('}');
                break;
            default:
                throw PyException.TypeError($"Object of type {Py.TypeName(value)} is not JSON serializable");
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void WriteArray(StringBuilder sb, IReadOnlyList<object?> items, int depth)
    {
        sb.Append('[');
        for (var i = 0; i < items.Count; i++)
        {
            if (i > 0) sb.Append(", ");
            Write(sb, items[i], depth + 1);
        }
        sb.Append(']');
    }

    private static string Float(double d) =>
        double.IsNaN(d) ? "NaN" : double.IsPositiveInfinity(d) ? "Infinity" : double.IsNegativeInfinity(d) ? "-Infinity" : PyFloat.Repr(d);

    private static string Key(object? key) => key switch
    {
        string s => s,
        true => "true",
        false => "false",
        null => "null",
        double d => Float(d),
        System.Numerics.BigInteger i => Py.IntToString(i),
        _ => throw PyException.TypeError($"keys must be str, int, float, bool or None, not {Py.TypeName(key)}"),
    };
}
