using System.Text.Json;
using ToolSharp.Core.Json;
using ToolSharp.Core.Tools;

namespace ToolSharp.Environments.Bfcl;

/// <summary>Turns BFCL ground truth (each parameter's list of accepted values) into concrete reference calls.</summary>
public static class BfclGroundTruth
{
    /// <summary>
    /// For each ground-truth call, a call built from the first possible answers: a parameter whose first answer is
    /// <c>""</c> (optional) is left out unless the function doc requires it, in which case its first real answer is used;
    /// parameters the doc does not declare are left out (a few BFCL entries list some); dict parameters, whose possible
    /// answer maps each key to its own list of accepted values, are built the same way, key by key. These calls score 100%.
    /// </summary>
    public static IReadOnlyList<ToolCall> FirstAnswers(JsonElement groundTruth, JsonElement functions)
    {
        if (groundTruth.ValueKind != JsonValueKind.Array) return [];
        var calls = new List<ToolCall>();
        foreach (var entry in groundTruth.EnumerateArray())
        {
            foreach (var function in entry.EnumerateObject())
            {
                var parameters = Parameters(functions, function.Name);
                var required = parameters.TryGetProperty("required", out var r) && r.ValueKind == JsonValueKind.Array
                    ? r.EnumerateArray().Select(x => x.GetString()).ToHashSet()
                    : [];
                var properties = parameters.TryGetProperty("properties", out var p) && p.ValueKind == JsonValueKind.Object ? p : JsonValues.EmptyObject;
                calls.Add(new ToolCall(function.Name, JsonValues.Build(w =>
                {
                    w.WriteStartObject();
                    foreach (var param in function.Value.EnumerateObject())
                    {
                        if (!properties.TryGetProperty(param.Name, out var schema)) continue;
                        if (Choose(param.Value, required.Contains(param.Name)) is not { } value) continue;
                        w.WritePropertyName(param.Name);
                        WriteConcrete(w, value, schema);
                    }
                    w.WriteEndObject();
                })));
            }
        }
        return calls;
    }

    /// <summary>Calls as Python-style text for people, e.g. <c>math.factorial(number=5)</c>; "(no call)" for none.</summary>
    public static string Describe(IReadOnlyList<ToolCall> calls) =>
        calls.Count == 0
            ? "(no call)"
            : string.Join("; ", calls.Select(c => c.HasObjectArguments
                ? $"{c.Name}({string.Join(", ", c.Arguments.EnumerateObject().Select(p => $"{p.Name}={JsonValues.ToCompact(p.Value)}"))})"
                : $"{c.Name}({JsonValues.ToCompact(c.Arguments)})"));

    // The first possible answer, or null to leave the parameter out.
    private static JsonElement? Choose(JsonElement possible, bool required)
    {
        if (possible.ValueKind != JsonValueKind.Array || possible.GetArrayLength() == 0) return null;
        if (!IsEmptyString(possible[0])) return possible[0];
        if (!required) return null;
        foreach (var candidate in possible.EnumerateArray())
            if (!IsEmptyString(candidate)) return candidate;
        return null;
    }

    private static void WriteConcrete(Utf8JsonWriter w, JsonElement value, JsonElement schema)
    {
        var type = schema.TryGetProperty("type", out var t) && t.ValueKind == JsonValueKind.String ? t.GetString() : null;
        if (type == "dict" && value.ValueKind == JsonValueKind.Object)
        {
            WriteDict(w, value);
        }
        else if (type is "array" or "tuple" && value.ValueKind == JsonValueKind.Array &&
                 schema.TryGetProperty("items", out var items) && items.TryGetProperty("type", out var it) && it.GetString() == "dict")
        {
            w.WriteStartArray();
            foreach (var item in value.EnumerateArray())
            {
                if (item.ValueKind == JsonValueKind.Object) WriteDict(w, item);
                else item.WriteTo(w);
            }
            w.WriteEndArray();
        }
        else value.WriteTo(w);
    }

    // A dict's possible answer maps each key to a list of accepted values.
    private static void WriteDict(Utf8JsonWriter w, JsonElement possible)
    {
        w.WriteStartObject();
        foreach (var key in possible.EnumerateObject())
        {
            if (Choose(key.Value, required: false) is not { } value) continue;
            w.WritePropertyName(key.Name);
            value.WriteTo(w);
        }
        w.WriteEndObject();
    }

    private static JsonElement Parameters(JsonElement functions, string name)
    {
        if (functions.ValueKind == JsonValueKind.Array)
        {
            foreach (var f in functions.EnumerateArray())
            {
                if (f.ValueKind == JsonValueKind.Object && f.TryGetProperty("name", out var n) && n.ValueKind == JsonValueKind.String && n.GetString() == name &&
                    f.TryGetProperty("parameters", out var p) && p.ValueKind == JsonValueKind.Object)
                    return p;
            }
        }
        return JsonValues.EmptyObject;
    }

    private static bool IsEmptyString(JsonElement e) => e.ValueKind == JsonValueKind.String && e.GetString() == "";
}
