using System.Text;
using System.Text.Json;
using ToolSharp.Core.Formats;
using ToolSharp.Environments.Bfcl.Python;

namespace ToolSharp.Environments.Bfcl.MultiTurn;

/// <summary>BFCL's decoded call strings: how its handlers turn a model's tool call into the Python call that is
/// executed (and, in prompt mode, shown back to the model as the tool message's name).</summary>
public static class BfclCallText
{
    /// <summary>Function-calling mode (<c>convert_to_function_call</c>): <c>name(k=repr(v),k2=repr(v2))</c> with the
    /// arguments as Python's <c>json.loads</c> reads them, joined by "," without a space.</summary>
    public static string FunctionCalling(string name, JsonElement arguments) =>
        $"{name}({string.Join(",", Arguments(arguments).Select(p => $"{p.Key}={Py.Repr(p.Value)}"))})";

    /// <summary>Prompt mode (<c>decoded_output_to_execution_list</c>): <c>name(k=v, k2=v2)</c> joined by ", ", where
    /// a dict value is written as <c>{'k': v}</c> (keys unescaped) and a dict whose values are all dicts as a call of its
    /// first key, as BFCL's <c>parse_nested_value</c> does. Null where BFCL's decoder fails (an empty dict value).</summary>
    public static string? Prompting(string name, JsonElement arguments)
    {
        var sb = new StringBuilder(name).Append('(');
        var first = true;
        foreach (var (key, value) in Arguments(arguments))
        {
            if (!first) sb.Append(", ");
            first = false;
            var text = NestedValue(value);
            if (text is null) return null;
            sb.Append(key).Append('=').Append(text);
        }
        return sb.Append(')').ToString();
    }

    private static string? NestedValue(object? value)
    {
        if (value is not PyDict dict) return Py.Repr(value);
        if (dict.Values.All(v => v is PyDict))
        {
            if (dict.Count == 0) return null;
            var (function, args) = dict.Items().First();
            var parts = new List<string>();
            foreach (var (k, v) in ((PyDict)args!).Items())
            {
                var text = NestedValue(v);
                if (text is null) return null;
                parts.Add($"{Py.Str(k)}={text}");
            }
            return $"{Py.Str(function)}({string.Join(", ", parts)})";
        }
        var entries = new List<string>();
        foreach (var (k, v) in dict.Items())
        {
            var text = NestedValue(v);
            if (text is null) return null;
            entries.Add($"'{Py.Str(k)}': {text}");
        }
        return "{" + string.Join(", ", entries) + "}";
    }

    private static IEnumerable<KeyValuePair<string, object?>> Arguments(JsonElement arguments) =>
        arguments.ValueKind == JsonValueKind.Object
            ? arguments.EnumerateObject().Select(p => new KeyValuePair<string, object?>(p.Name, Py.FromJson(p.Value)))
            : [];

    /// <summary>True when <paramref name="call"/> is a Python call expression ToolSharp can execute (a call of a name
    /// with literal or nested-call arguments); otherwise the reason.</summary>
    public static bool IsCall(string call, out string? error)
    {
        var parsed = PythonSyntax.ParseExpression(call);
        error = parsed.Success
            ? parsed.Expression is PythonExpression.Call ? null : "not a function call"
            : $"{parsed.Error} at offset {parsed.ErrorPosition}";
        return error is null;
    }
}
