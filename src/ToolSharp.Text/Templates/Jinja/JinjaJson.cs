using ToolSharp.Core.Json;
using System.Globalization;
using System.Text;
using System.Text.Json;

namespace ToolSharp.Text.Templates.Jinja;

/// <summary>Converts JSON to template values and back, the latter as transformers' <c>tojson</c> (Python <c>json.dumps(ensure_ascii=False)</c>).</summary>
internal static class JinjaJson
{
    /// <summary>Objects become ordered dicts, arrays lists, integers long, other numbers double (as Python's json.loads).</summary>
    public static object? FromElement(JsonElement e) => e.ValueKind switch
    {
        JsonValueKind.Object => ObjectFrom(e),
        JsonValueKind.Array => e.EnumerateArray().Select(FromElement).ToList(),
        JsonValueKind.String => e.GetString(),
        JsonValueKind.Number => NumberFrom(e),
        JsonValueKind.True => true,
        JsonValueKind.False => false,
        _ => null,
    };

    private static OrderedDictionary<string, object?> ObjectFrom(JsonElement e)
    {
        var d = new OrderedDictionary<string, object?>(StringComparer.Ordinal);
        foreach (var p in e.EnumerateObject()) d[p.Name] = FromElement(p.Value);
        return d;
    }

    private static object NumberFrom(JsonElement e)
    {
        var raw = e.GetRawText();
        if (raw.AsSpan().IndexOfAny(".eE") < 0 && e.TryGetInt64(out var l)) return l;
        return e.GetDouble();
    }

    /// <summary><c>json.dumps(value, ensure_ascii=False, indent=indent, sort_keys=sortKeys)</c>; separators are (", ", ": "), or ("," newline, ": ") when indented.</summary>
    public static string Dumps(object? value, int? indent, bool sortKeys, string? itemSeparator = null, string? keySeparator = null)
    {
        var sb = new StringBuilder();
        Write(sb, value, indent, sortKeys, 0, itemSeparator ?? (indent is null ? ", " : ","), keySeparator ?? ": ");
        return sb.ToString();
    }

    private static void Write(StringBuilder sb, object? v, int? indent, bool sortKeys, int level, string itemSep, string keySep)
    {
        switch (v)
        {
            case null: sb.Append("null"); break;
            case bool b: sb.Append(b ? "true" : "false"); break;
            case long l: sb.Append(l.ToString(CultureInfo.InvariantCulture)); break;
            case double d:
                sb.Append(double.IsNaN(d) ? "NaN" : double.IsPositiveInfinity(d) ? "Infinity" : double.IsNegativeInfinity(d) ? "-Infinity" : PythonFormat.FloatRepr(d));
                break;
            case string s: PythonStyleJson.WriteString(sb, s); break;
            case List<object?> list:
                if (list.Count == 0) { sb.Append("[]"); break; }
                sb.Append('[');
                for (var i = 0; i < list.Count; i++)
                {
                    if (i > 0) sb.Append(itemSep);
                    NewLine(sb, indent, level + 1);
                    Write(sb, list[i], indent, sortKeys, level + 1, itemSep, keySep);
                }
                NewLine(sb, indent, level);
                sb.Append(']');
                break;
            case OrderedDictionary<string, object?> dict:
                if (dict.Count == 0) { sb.Append("{}"); break; }
                sb.Append('{');
                IEnumerable<KeyValuePair<string, object?>> entries = sortKeys ? dict.OrderBy(p => p.Key, StringComparer.Ordinal) : dict;
                var first = true;
                foreach (var (k, val) in entries)
                {
                    if (!first) sb.Append(itemSep);
                    first = false;
                    NewLine(sb, indent, level + 1);
                    PythonStyleJson.WriteString(sb, k);
                    sb.Append(keySep);
                    Write(sb, val, indent, sortKeys, level + 1, itemSep, keySep);
                }
                NewLine(sb, indent, level);
                sb.Append('}');
                break;
            case JinjaUndefined u:
                throw new InvalidOperationException($"tojson: {u.Description} is undefined");
            default:
                throw new InvalidOperationException($"tojson: cannot serialize {JinjaOps.TypeName(v)}");
        }
    }

    private static void NewLine(StringBuilder sb, int? indent, int level)
    {
        if (indent is null) return;
        sb.Append('\n').Append(' ', indent.Value * level);
    }
}
