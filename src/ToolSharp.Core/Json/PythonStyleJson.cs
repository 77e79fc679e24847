using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json;

namespace ToolSharp.Core.Json;

/// <summary>Writes JSON the way Python's <c>json.dumps(obj, ensure_ascii=False)</c> does: <c>", "</c> and <c>": "</c> separators.</summary>
/// <remarks>
/// Chat templates render tool calls with Jinja's <c>tojson</c>, which produces this spacing; formatting calls the same
/// way keeps our text identical to what the model saw in training data.
/// </remarks>
public static class PythonStyleJson
{
    public static string Serialize(JsonElement value)
    {
        var sb = new StringBuilder();
        Write(sb, value);
        return sb.ToString();
    }

    /// <summary>Writes <paramref name="value"/>; with <paramref name="pythonLiterals"/> the keywords become <c>True</c>,
    /// <c>False</c> and <c>None</c>, which makes the text a Python literal (Python reads JSON strings and numbers as is).</summary>
    public static void Write(StringBuilder sb, JsonElement value, bool pythonLiterals = false)
    {
        switch (value.ValueKind)
        {
            case JsonValueKind.Object:
                sb.Append('{');
                var first = true;
                foreach (var p in value.EnumerateObject())
                {
                    if (!first) sb.Append(", ");
                    first = false;
                    WriteString(sb, p.Name);
                    sb.Append(": ");
                    Write(sb, p.Value, pythonLiterals);
                }
                sb.Append('}');
                break;
            case JsonValueKind.Array:
                sb.Append('[');
                var firstItem = true;
                foreach (var item in value.EnumerateArray())
                {
                    if (!firstItem) sb.Append(", ");
                    firstItem = false;
                    Write(sb, item, pythonLiterals);
                }
                sb.Append(']');
                break;
            case JsonValueKind.String:
                WriteString(sb, value.GetString()!);
                break;
            case JsonValueKind.True when pythonLiterals: sb.Append("True"); break;
            case JsonValueKind.False when pythonLiterals: sb.Append("False"); break;
            case JsonValueKind.Null when pythonLiterals: sb.Append("None"); break;
            default:
                sb.Append(value.GetRawText());
                break;
        }
    }

    /// <summary>A JSON string literal with Python's escapes: \" \\ \n \r \t \b \f; other control characters and lone surrogates as \u00XX; the rest verbatim.</summary>
    /// <param name="ensureAscii">Python's default <c>ensure_ascii=True</c>: every character outside space…<c>~</c> becomes
    /// <c>\uxxxx</c> (lower-case hex; characters beyond the BMP as their two surrogates), as <c>json.dumps(obj)</c> writes it.</param>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void WriteString(StringBuilder sb, string s, bool ensureAscii = false)
    {
        sb.Append('"');
        for (var i = 0; i < s.Length; i++)
        {
            var c = s[i];
            switch (c)
            {
                case '"': sb.Append("\\\""); break;
                case '\\': sb.Append("\\\\"); break;
                case '\n': sb.Append("\\n"); break;
                case '\r': sb.Append("\\r"); break;
                case '\t': sb.Append("\\t"); break;
                case '\b': sb.Append("\\b"); break;
                case '\f': sb.Append("\\f"); break;
                default:
                    if (ensureAscii && c > '~')
                    {
                        sb.Append("\\u").Append(((int)c).ToString("x4"));
                    }
                    else if (char.IsHighSurrogate(c) && i + 1 < s.Length && char.IsLowSurrogate(s[i + 1]))
                    {
                        sb.Append(c).Append(s[++i]);
                    }
                    else if (c < 0x20 || char.IsSurrogate(c))
                    {
                        sb.Append("\\u").Append(((int)c).ToString("x4"));
                    }
                    else sb.Append(c);
                    break;
            }
        }
        sb.Append('"');
    }
}
