using System.Text.Json;
using ToolSharp.Core.Errors;
using ToolSharp.Core.Formats;
using ToolSharp.Core.Json;
using ToolSharp.Core.Tools;

namespace ToolSharp.Environments.Bfcl.MultiTurn;

/// <summary>Reads a BFCL call string (<c>sort('final_report.pdf')</c>, <c>cd(folder='document')</c>) as a structured
/// tool call: positional arguments take the doc's parameter names in order, as Python binds them — for ground truths
/// replayed as a model would send them, and for demonstrations.</summary>
public static class BfclCallParser
{
    public static ToolCall Parse(string text, IReadOnlyList<ToolSpec> tools)
    {
        var parsed = PythonSyntax.ParseExpression(text);
        if (parsed.Expression is not PythonExpression.Call call)
            throw new InputFormatException("<bfcl call>", "call", "a Python call such as f(x=1)", parsed.Error ?? $"'{text}'");
        var spec = tools.FirstOrDefault(t => t.Name == call.Target)
            ?? throw new InputFormatException("<bfcl call>", "name", "one of " + string.Join(", ", tools.Select(t => t.Name)), $"'{call.Target}' in '{text}'");
        var names = spec.Parameters.TryGetProperty("properties", out var properties) && properties.ValueKind == JsonValueKind.Object
            ? properties.EnumerateObject().Select(p => p.Name).ToList()
            : [];
        if (call.Positional.Count > names.Count)
            throw new InputFormatException("<bfcl call>", "arguments", $"at most {names.Count} positional arguments for {spec.Name}", $"{call.Positional.Count} in '{text}'");
        var arguments = JsonValues.Build(w =>
        {
            w.WriteStartObject();
            for (var i = 0; i < call.Positional.Count; i++)
            {
                w.WritePropertyName(names[i]);
                Write(w, call.Positional[i], text);
            }
            foreach (var (name, value) in call.Keywords)
            {
                w.WritePropertyName(name);
                Write(w, value, text);
            }
            w.WriteEndObject();
        });
        return new ToolCall(call.Target, arguments);
    }

    private static void Write(Utf8JsonWriter w, PythonExpression e, string text)
    {
        switch (e)
        {
            case PythonExpression.Constant { NumberText: { } number }: w.WriteRawValue(number); break;
            case PythonExpression.Constant { Value: string s }: w.WriteStringValue(s); break;
            case PythonExpression.Constant { Value: bool b }: w.WriteBooleanValue(b); break;
            case PythonExpression.Constant { Value: null }: w.WriteNullValue(); break;
            case PythonExpression.Sequence seq:
                w.WriteStartArray();
                foreach (var item in seq.Items) Write(w, item, text);
                w.WriteEndArray();
                break;
            case PythonExpression.Dict dict:
                w.WriteStartObject();
                foreach (var (k, v) in dict.Entries)
                {
                    if (k is not PythonExpression.Constant { Value: string key })
                        throw new InputFormatException("<bfcl call>", "arguments", "string dict keys", $"'{text}'");
                    w.WritePropertyName(key);
                    Write(w, v, text);
                }
                w.WriteEndObject();
                break;
            default:
                throw new InputFormatException("<bfcl call>", "arguments", "literals (numbers, strings, lists, dicts)", $"'{text}'");
        }
    }
}
