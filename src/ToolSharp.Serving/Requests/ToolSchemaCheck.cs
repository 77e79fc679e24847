using System.Text.Json;
using ToolSharp.Core.Json;

namespace ToolSharp.Serving.Requests;

/// <summary>Refuses a tool whose <c>parameters</c> is not a JSON Schema object schema, naming the field at fault.</summary>
/// <remarks>
/// Checked before the schema is read, so BFCL's Python-flavoured aliases (<c>dict</c>, <c>float</c>) are refused here
/// as OpenAI refuses them: an endpoint's clients send standard JSON Schema. Only the structure the chat format and the
/// argument validator rely on is checked (types, <c>properties</c>, <c>required</c>, <c>items</c>, <c>enum</c>,
/// combinators); other keywords pass through.
/// </remarks>
public static class ToolSchemaCheck
{
    private static readonly HashSet<string> Types = ["object", "array", "string", "number", "integer", "boolean", "null"];

    private const string TypeList = "one of object, array, string, number, integer, boolean, null";

    /// <summary>Checks <c>tools[i]</c> (OpenAI's <c>{"type": "function", "function": {...}}</c>).</summary>
    public static void Tool(JsonElement tool, string field)
    {
        if (tool.ValueKind != JsonValueKind.Object) throw RequestException.Invalid(field, "a tool object", JsonValues.SchemaTypeName(tool));
        if (!tool.TryGetProperty("type", out var type) || type.ValueKind != JsonValueKind.String || type.GetString() != "function")
            throw RequestException.Invalid(field + ".type", "\"function\"", tool.TryGetProperty("type", out var t) ? t.GetRawText() : "nothing");
        if (!tool.TryGetProperty("function", out var fn) || fn.ValueKind != JsonValueKind.Object)
            throw RequestException.Invalid(field + ".function", "a function object", tool.TryGetProperty("function", out var f) ? JsonValues.SchemaTypeName(f) : "nothing");
        if (!fn.TryGetProperty("name", out var name) || name.ValueKind != JsonValueKind.String)
            throw RequestException.Invalid(field + ".function.name", "a string", fn.TryGetProperty("name", out var n) ? JsonValues.SchemaTypeName(n) : "nothing");
        var text = name.GetString()!;
        if (text.Length is 0 or > 64 || !text.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '-' or '.'))
            throw RequestException.Invalid(field + ".function.name", "1 to 64 letters, digits, '_', '-' or '.'", $"'{text}'");
        if (fn.TryGetProperty("description", out var d) && d.ValueKind is not (JsonValueKind.String or JsonValueKind.Null))
            throw RequestException.Invalid(field + ".function.description", "a string", JsonValues.SchemaTypeName(d));
        if (!fn.TryGetProperty("parameters", out var parameters) || parameters.ValueKind == JsonValueKind.Null) return;
        var at = field + ".function.parameters";
        if (parameters.ValueKind != JsonValueKind.Object) throw RequestException.Invalid(at, "a JSON Schema object", JsonValues.SchemaTypeName(parameters));
        if (parameters.TryGetProperty("type", out var top) && !(top.ValueKind == JsonValueKind.String && top.GetString() == "object"))
            throw RequestException.Invalid(at + ".type", "\"object\" (a function takes named arguments)", top.GetRawText());
        Schema(parameters, at);
    }

    private static void Schema(JsonElement schema, string at)
    {
        if (schema.ValueKind is JsonValueKind.True or JsonValueKind.False) return;
        if (schema.ValueKind != JsonValueKind.Object) throw RequestException.Invalid(at, "a JSON Schema (an object)", JsonValues.SchemaTypeName(schema));
        if (schema.TryGetProperty("type", out var type))
        {
            var names = type.ValueKind == JsonValueKind.Array ? type.EnumerateArray().ToList() : [type];
            if (type.ValueKind == JsonValueKind.Array && names.Count == 0) throw RequestException.Invalid(at + ".type", TypeList, "[]");
            foreach (var n in names)
                if (n.ValueKind != JsonValueKind.String || !Types.Contains(n.GetString()!))
                    throw RequestException.Invalid(at + ".type", TypeList, n.GetRawText());
        }
        if (schema.TryGetProperty("properties", out var props))
        {
            if (props.ValueKind != JsonValueKind.Object) throw RequestException.Invalid(at + ".properties", "an object of schemas", JsonValues.SchemaTypeName(props));
            foreach (var p in props.EnumerateObject()) Schema(p.Value, $"{at}.properties.{p.Name}");
        }
        if (schema.TryGetProperty("required", out var required))
        {
            if (required.ValueKind != JsonValueKind.Array || required.EnumerateArray().Any(r => r.ValueKind != JsonValueKind.String))
                throw RequestException.Invalid(at + ".required", "an array of property names", required.GetRawText());
        }
        if (schema.TryGetProperty("enum", out var values) && values.ValueKind != JsonValueKind.Array)
            throw RequestException.Invalid(at + ".enum", "an array of values", JsonValues.SchemaTypeName(values));
        if (schema.TryGetProperty("items", out var items)) Schema(items, at + ".items");
        if (schema.TryGetProperty("additionalProperties", out var extra)) Schema(extra, at + ".additionalProperties");
        foreach (var combinator in new[] { "anyOf", "oneOf", "allOf" })
        {
            if (!schema.TryGetProperty(combinator, out var list)) continue;
            if (list.ValueKind != JsonValueKind.Array) throw RequestException.Invalid($"{at}.{combinator}", "an array of schemas", JsonValues.SchemaTypeName(list));
            var i = 0;
            foreach (var s in list.EnumerateArray()) Schema(s, $"{at}.{combinator}[{i++}]");
        }
    }
}
