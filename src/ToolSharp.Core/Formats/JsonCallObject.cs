using ToolSharp.Core.WireFormats;
using System.Text.Json;
using ToolSharp.Core.Json;
using ToolSharp.Core.Tools;

namespace ToolSharp.Core.Formats;

/// <summary>Reads and writes the <c>{"name": …, "arguments": {…}}</c> objects that JSON-based formats share.</summary>
internal static class JsonCallObject
{
    /// <summary>Parses the JSON text of one call object; reports malformed JSON or a wrong structure at <paramref name="position"/>.</summary>
    public static ToolCall? Parse(string json, int position, CallParseBuilder output)
    {
        if (!JsonValues.TryParse(json, out var value, out var error, out _))
        {
            output.Error(ToolCallErrorKind.MalformedJson, $"invalid JSON in tool call at offset {position}: {Shorten(error)}", position);
            return null;
        }
        return Read(value, position, output);
    }

    /// <summary>Reads a parsed call object: "name" plus "arguments" (or Llama's "parameters"), optionally "id".</summary>
    public static ToolCall? Read(JsonElement value, int position, CallParseBuilder output)
    {
        if (value.ValueKind != JsonValueKind.Object)
        {
            output.Error(ToolCallErrorKind.InvalidStructure, $"tool call at offset {position} must be a JSON object with \"name\" and \"arguments\", found {JsonValues.SchemaTypeName(value)}", position);
            return null;
        }
        if (!value.TryGetProperty("name", out var name) || name.ValueKind != JsonValueKind.String)
        {
            output.Error(ToolCallErrorKind.InvalidStructure, $"tool call at offset {position} has no string \"name\"", position);
            return null;
        }
        JsonElement args = JsonValues.EmptyObject;
        if (value.TryGetProperty("arguments", out var a) || value.TryGetProperty("parameters", out a))
        {
            // Some models double-encode the arguments as a JSON string; accept that when it holds an object.
            if (a.ValueKind == JsonValueKind.String && JsonValues.TryParse(a.GetString()!, out var inner, out _, out _) && inner.ValueKind == JsonValueKind.Object)
                args = inner;
            else if (a.ValueKind == JsonValueKind.Object)
                args = a;
            else
            {
                output.Error(ToolCallErrorKind.InvalidStructure, $"arguments of '{name.GetString()}' at offset {position} must be a JSON object, found {JsonValues.SchemaTypeName(a)}", position);
                return null;
            }
        }
        var id = value.TryGetProperty("id", out var idValue) && idValue.ValueKind == JsonValueKind.String ? idValue.GetString() : null;
        return new ToolCall(name.GetString()!, args, id);
    }

    /// <summary>Writes one call in Python json.dumps spacing, under the given arguments key.</summary>
    public static string Write(ToolCall call, string argumentsKey = "arguments", bool includeId = false)
    {
        var sb = new System.Text.StringBuilder();
        sb.Append("{\"name\": ");
        PythonStyleJson.WriteString(sb, call.Name);
        sb.Append(", \"").Append(argumentsKey).Append("\": ");
        PythonStyleJson.Write(sb, call.HasObjectArguments ? call.Arguments : JsonValues.EmptyObject);
        if (includeId && call.Id is not null)
        {
            sb.Append(", \"id\": ");
            PythonStyleJson.WriteString(sb, call.Id);
        }
        sb.Append('}');
        return sb.ToString();
    }

    /// <summary>A compact one-line schema listing for prompts: one JSON object per tool.</summary>
    public static string ToolLines(IReadOnlyList<ToolSpec> tools) =>
        string.Join("\n", tools.Select(t => JsonValues.ToCompact(JsonValues.Build(w => OpenAiChatJson.WriteTool(w, t)))));

    private static string Shorten(string? error)
    {
        var e = error ?? "";
        return e.Length <= 160 ? e : e[..157] + "...";
    }
}
