using ToolSharp.Core.Json;
using System.Text.Json;
using ToolSharp.Core.Errors;
using ToolSharp.Core.Tools;

namespace ToolSharp.Core.WireFormats;

/// <summary>Reads BFCL's function-doc shape into <see cref="ToolSpec"/>, mapping its type aliases to JSON Schema.</summary>
/// <remarks>
/// BFCL writes Python-flavoured types: <c>dict</c> (object), <c>float</c> (number), <c>tuple</c> (array), <c>any</c>
/// (no constraint), and a few Java/JavaScript names. This mapping follows BFCL's own <c>GORILLA_TO_OPENAPI</c> table,
/// except that <c>any</c> drops the type constraint instead of becoming <c>string</c>, so validation accepts any value.
/// </remarks>
public static class BfclSchema
{
    private static readonly Dictionary<string, string?> TypeAliases = new(StringComparer.Ordinal)
    {
        ["dict"] = "object", ["object"] = "object", ["HashMap"] = "object", ["Hashtable"] = "object",
        ["float"] = "number", ["double"] = "number", ["number"] = "number",
        ["integer"] = "integer", ["int"] = "integer", ["long"] = "integer", ["short"] = "integer", ["byte"] = "integer", ["Bigint"] = "integer",
        ["tuple"] = "array", ["list"] = "array", ["array"] = "array", ["ArrayList"] = "array", ["Array"] = "array", ["Queue"] = "array", ["Stack"] = "array",
        ["string"] = "string", ["String"] = "string", ["char"] = "string",
        ["boolean"] = "boolean", ["bool"] = "boolean",
        ["null"] = "null",
        ["any"] = null, ["Any"] = null,
    };

    /// <summary>Converts one BFCL function doc (<c>{"name","description","parameters"}</c>) to a tool spec.</summary>
    public static ToolSpec ToToolSpec(JsonElement doc, string source = "<bfcl>", string field = "function")
    {
        if (doc.ValueKind != JsonValueKind.Object)
            throw new InputFormatException(source, field, "a function object", JsonValues.SchemaTypeName(doc));
        if (!doc.TryGetProperty("name", out var name) || name.ValueKind != JsonValueKind.String)
            throw new InputFormatException(source, field + ".name", "a string", Describe(doc, "name"));
        var description = doc.TryGetProperty("description", out var d) && d.ValueKind == JsonValueKind.String ? d.GetString()! : "";
        var parameters = doc.TryGetProperty("parameters", out var p) ? NormalizeSchema(p, source, field + ".parameters") : ToolSpec.EmptyParameters;
        return new ToolSpec(name.GetString()!, description, parameters);
    }

    /// <summary>Rewrites a BFCL schema (recursively) into standard JSON Schema.</summary>
    public static JsonElement NormalizeSchema(JsonElement schema, string source = "<bfcl>", string field = "parameters")
    {
        if (schema.ValueKind != JsonValueKind.Object)
            throw new InputFormatException(source, field, "a schema object", JsonValues.SchemaTypeName(schema));
        return JsonValues.Build(w => WriteNormalized(w, schema, source, field));
    }

    private static void WriteNormalized(Utf8JsonWriter w, JsonElement schema, string source, string field)
    {
        w.WriteStartObject();
        foreach (var prop in schema.EnumerateObject())
        {
            switch (prop.Name)
            {
                case "type":
                    WriteType(w, prop.Value, source, field + ".type");
                    break;
                case "properties" when prop.Value.ValueKind == JsonValueKind.Object:
                    w.WritePropertyName("properties");
                    w.WriteStartObject();
                    foreach (var p in prop.Value.EnumerateObject())
                    {
                        w.WritePropertyName(p.Name);
                        WriteSubschema(w, p.Value, source, $"{field}.properties.{p.Name}");
                    }
                    w.WriteEndObject();
                    break;
                case "items" or "additionalProperties" when prop.Value.ValueKind == JsonValueKind.Object:
                    w.WritePropertyName(prop.Name);
                    WriteNormalized(w, prop.Value, source, $"{field}.{prop.Name}");
                    break;
                case "anyOf" or "oneOf" or "allOf" or "prefixItems" when prop.Value.ValueKind == JsonValueKind.Array:
                    w.WritePropertyName(prop.Name);
                    w.WriteStartArray();
                    var i = 0;
                    foreach (var s in prop.Value.EnumerateArray()) WriteSubschema(w, s, source, $"{field}.{prop.Name}[{i++}]");
                    w.WriteEndArray();
                    break;
                default:
                    prop.WriteTo(w);
                    break;
            }
        }
        w.WriteEndObject();
    }

    private static void WriteSubschema(Utf8JsonWriter w, JsonElement s, string source, string field)
    {
        if (s.ValueKind == JsonValueKind.Object) WriteNormalized(w, s, source, field);
        else s.WriteTo(w); // booleans are valid schemas; anything else is left for the validator to report
    }

    private static void WriteType(Utf8JsonWriter w, JsonElement type, string source, string field)
    {
        if (type.ValueKind == JsonValueKind.String)
        {
            var mapped = MapType(type.GetString()!, source, field);
            if (mapped is not null) w.WriteString("type", mapped);
            return;
        }
        if (type.ValueKind == JsonValueKind.Array)
        {
            var mapped = type.EnumerateArray().Select(t => t.ValueKind == JsonValueKind.String ? MapType(t.GetString()!, source, field) : null).ToList();
            if (mapped.Any(m => m is null)) return; // "any" in a union accepts everything
            w.WritePropertyName("type");
            w.WriteStartArray();
            foreach (var m in mapped.Distinct()) w.WriteStringValue(m);
            w.WriteEndArray();
            return;
        }
        throw new InputFormatException(source, field, "a type name or a list of type names", JsonValues.SchemaTypeName(type));
    }

    private static string? MapType(string name, string source, string field)
    {
        if (TypeAliases.TryGetValue(name, out var mapped)) return mapped;
        throw new InputFormatException(source, field, "a JSON Schema or BFCL type name (dict, float, tuple, any, …)", $"'{name}'");
    }

    private static string Describe(JsonElement obj, string property) =>
        obj.TryGetProperty(property, out var v) ? JsonValues.SchemaTypeName(v) : "nothing";
}
