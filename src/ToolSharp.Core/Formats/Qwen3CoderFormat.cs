using System.Globalization;
using System.Text;
using System.Text.Json;
using ToolSharp.Core.Json;
using ToolSharp.Core.Tools;

namespace ToolSharp.Core.Formats;

/// <summary>Qwen3-Coder XML: <c>&lt;tool_call&gt;&lt;function=NAME&gt;&lt;parameter=P&gt;value&lt;/parameter&gt;&lt;/function&gt;&lt;/tool_call&gt;</c>.</summary>
/// <remarks>
/// Values are untyped text, so they are typed by the tool's schema: a <c>string</c> parameter keeps the text as is,
/// numbers, booleans (<c>True</c>/<c>true</c>), <c>None</c>/<c>null</c>, objects and arrays are parsed. Without a schema the
/// text is read as JSON when it is valid JSON, else kept as a string. As in Qwen3-Coder's template, one newline after
/// <c>&lt;parameter=P&gt;</c> and one before <c>&lt;/parameter&gt;</c> belong to the markup. The format has no escaping:
/// a string value containing "\n&lt;/parameter&gt;" cannot be represented.
/// </remarks>
public sealed class Qwen3CoderFormat : ToolCallFormat
{
    private const string FunctionOpen = "<function=";
    private const string FunctionClose = "</function>";
    private const string ParameterOpen = "<parameter=";
    private const string ParameterClose = "</parameter>";

    public override string Name => "qwen3-coder";

    public override string Description => "<tool_call><function=NAME><parameter=P>value</parameter></function></tool_call> (Qwen3-Coder)";

    public override IReadOnlyList<string> StopSequences => [HermesFormat.CloseTag];

    public override string Format(IReadOnlyList<ToolCall> calls)
    {
        var sb = new StringBuilder();
        foreach (var call in calls)
        {
            if (sb.Length > 0) sb.Append('\n');
            sb.Append(HermesFormat.OpenTag).Append('\n').Append(FunctionOpen).Append(call.Name).Append(">\n");
            if (call.HasObjectArguments)
            {
                foreach (var p in call.Arguments.EnumerateObject())
                    sb.Append(ParameterOpen).Append(p.Name).Append(">\n").Append(ValueText(p.Value)).Append('\n').Append(ParameterClose).Append('\n');
            }
            sb.Append(FunctionClose).Append('\n').Append(HermesFormat.CloseTag);
        }
        return sb.ToString();
    }

    public override string DescribeTools(IReadOnlyList<ToolSpec> tools) =>
        "# Tools\n\nYou have access to the following functions:\n\n<tools>\n" + JsonCallObject.ToolLines(tools) + "\n</tools>\n\n" +
        "If you choose to call a function ONLY reply in the following format with NO suffix:\n\n" +
        "<tool_call>\n<function=example_function_name>\n<parameter=example_parameter_1>\nvalue_1\n</parameter>\n" +
        "<parameter=example_parameter_2>\nThis is the value for the second parameter\nthat can span\nmultiple lines\n</parameter>\n</function>\n</tool_call>";

    protected override void ParseBody(string text, CallParseBuilder output)
    {
        var pos = 0;
        while (pos < text.Length)
        {
            var open = text.IndexOf(HermesFormat.OpenTag, pos, StringComparison.Ordinal);
            if (open < 0)
            {
                output.Content.Append(text, pos, text.Length - pos);
                return;
            }
            output.Content.Append(text, pos, open - pos);
            pos = ParseOne(text, open, output);
        }
    }

    private static int ParseOne(string text, int open, CallParseBuilder output)
    {
        var i = JsonScanner.SkipWhitespace(text, open + HermesFormat.OpenTag.Length);
        if (!At(text, i, FunctionOpen))
            return Fail(output, text, open, ToolCallErrorKind.InvalidStructure, $"<tool_call> at offset {open} must start with <function=NAME>");
        var nameEnd = text.IndexOf('>', i);
        if (nameEnd < 0)
            return Fail(output, text, open, ToolCallErrorKind.UnterminatedTag, $"<function= at offset {i} is not closed by '>'");
        var name = text[(i + FunctionOpen.Length)..nameEnd].Trim();
        if (name.Length == 0)
            return Fail(output, text, open, ToolCallErrorKind.InvalidStructure, $"empty function name at offset {i}");
        var schema = output.Tools?.FirstOrDefault(t => t.Name == name);

        var values = new List<(string Name, JsonElement Value)>();
        i = nameEnd + 1;
        while (true)
        {
            i = JsonScanner.SkipWhitespace(text, i);
            if (At(text, i, ParameterOpen))
            {
                var pEnd = text.IndexOf('>', i);
                if (pEnd < 0)
                    return Fail(output, text, open, ToolCallErrorKind.UnterminatedTag, $"<parameter= at offset {i} is not closed by '>'");
                var pName = text[(i + ParameterOpen.Length)..pEnd].Trim();
                var valueStart = pEnd + 1;
                if (valueStart < text.Length && text[valueStart] == '\n') valueStart++;
                var close = text.IndexOf(ParameterClose, valueStart, StringComparison.Ordinal);
                if (close < 0)
                    return Fail(output, text, open, ToolCallErrorKind.UnterminatedTag, $"<parameter={pName}> at offset {i} is not closed by </parameter>");
                var valueEnd = close > valueStart && text[close - 1] == '\n' ? close - 1 : close;
                values.Add((pName, TypeValue(text[valueStart..valueEnd], schema?.ParameterSchema(pName))));
                i = close + ParameterClose.Length;
            }
            else if (At(text, i, FunctionClose))
            {
                i = JsonScanner.SkipWhitespace(text, i + FunctionClose.Length);
                if (!At(text, i, HermesFormat.CloseTag))
                    return Fail(output, text, open, ToolCallErrorKind.UnterminatedTag, $"<tool_call> at offset {open} is not closed by </tool_call>");
                var args = JsonValues.Build(w =>
                {
                    w.WriteStartObject();
                    foreach (var (n, v) in values)
                    {
                        w.WritePropertyName(n);
                        v.WriteTo(w);
                    }
                    w.WriteEndObject();
                });
                output.Calls.Add(new ToolCall(name, args));
                return i + HermesFormat.CloseTag.Length;
            }
            else
            {
                var kind = i >= text.Length ? ToolCallErrorKind.UnterminatedTag : ToolCallErrorKind.InvalidStructure;
                var message = i >= text.Length
                    ? $"<function={name}> at offset {open} is not closed by </function>"
                    : $"unexpected text at offset {i} inside <function={name}>: expected <parameter=…> or </function>";
                return Fail(output, text, open, kind, message);
            }
        }
    }

    /// <summary>Records an error and resumes after the next closing tag (or at the end).</summary>
    private static int Fail(CallParseBuilder output, string text, int open, ToolCallErrorKind kind, string message)
    {
        output.Error(kind, message, open);
        var close = text.IndexOf(HermesFormat.CloseTag, open, StringComparison.Ordinal);
        return close < 0 ? text.Length : close + HermesFormat.CloseTag.Length;
    }

    private static bool At(string text, int i, string token) =>
        i + token.Length <= text.Length && string.CompareOrdinal(text, i, token, 0, token.Length) == 0;

    private static string ValueText(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.String => value.GetString()!,
        JsonValueKind.True => "True",
        JsonValueKind.False => "False",
        JsonValueKind.Null => "None",
        JsonValueKind.Number => value.GetRawText(),
        _ => PythonStyleJson.Serialize(value),
    };

    private static JsonElement TypeValue(string raw, JsonElement? schema)
    {
        var types = SchemaTypes(schema);
        if (types.Contains("string") && types.Count == 1) return JsonValues.String(raw);
        var trimmed = raw.Trim();
        if (trimmed is "True" or "true") return JsonValues.Parse("true");
        if (trimmed is "False" or "false") return JsonValues.Parse("false");
        if (trimmed is "None" or "null") return JsonValues.Null;
        if (types.Contains("integer") && long.TryParse(trimmed, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out _) ||
            types.Contains("number") && double.TryParse(trimmed, NumberStyles.Float, CultureInfo.InvariantCulture, out _))
        {
            if (JsonValues.TryParse(trimmed, out var n, out _, out _) && n.ValueKind == JsonValueKind.Number) return n;
        }
        if (types.Count == 0 || types.Contains("object") || types.Contains("array") || types.Contains("integer") || types.Contains("number"))
        {
            if (JsonValues.TryParse(trimmed, out var parsed, out _, out _) && (types.Count == 0 || parsed.ValueKind != JsonValueKind.String))
                return parsed;
        }
        return JsonValues.String(raw);
    }

    private static HashSet<string> SchemaTypes(JsonElement? schema)
    {
        var set = new HashSet<string>(StringComparer.Ordinal);
        if (schema is not { ValueKind: JsonValueKind.Object } s || !s.TryGetProperty("type", out var t)) return set;
        if (t.ValueKind == JsonValueKind.String) set.Add(t.GetString()!);
        else if (t.ValueKind == JsonValueKind.Array)
            foreach (var x in t.EnumerateArray()) if (x.ValueKind == JsonValueKind.String) set.Add(x.GetString()!);
        return set;
    }
}
