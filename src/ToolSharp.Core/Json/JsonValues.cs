using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using ToolSharp.Core.Errors;

namespace ToolSharp.Core.Json;

/// <summary>Small helpers for immutable <see cref="JsonElement"/> values: parsing, building and canonical text.</summary>
public static class JsonValues
{
    /// <summary>Compact output that keeps non-ASCII text readable (no \uXXXX escapes for letters, CJK, emoji).</summary>
    public static readonly JsonSerializerOptions CompactOptions = new()
    {
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        WriteIndented = false,
    };

    /// <summary>Indented output for files meant to be read by people.</summary>
    public static readonly JsonSerializerOptions IndentedOptions = new()
    {
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        WriteIndented = true,
    };

    public static readonly JsonElement EmptyObject = Parse("{}");

    public static readonly JsonElement Null = Parse("null");

    /// <summary>Parses JSON text into a detached element (throws <see cref="JsonException"/> on bad input).</summary>
    public static JsonElement Parse(string json)
    {
        using var doc = JsonDocument.Parse(json, new JsonDocumentOptions { AllowTrailingCommas = false });
        return doc.RootElement.Clone();
    }

    /// <summary>Tries to parse JSON text; on failure returns false and the parser's message and byte position.</summary>
    public static bool TryParse(string json, out JsonElement value, out string? error, out long? position)
    {
        try
        {
            value = Parse(json);
            error = null;
            position = null;
            return true;
        }
        catch (JsonException ex)
        {
            value = default;
            error = Describe(ex);
            position = ex.BytePositionInLine;
            return false;
        }
    }

    /// <summary>The parser's message without System.Text.Json's location suffixes and advice about reader options.</summary>
    public static string Describe(JsonException ex)
    {
        var message = ex.Message;
        foreach (var cut in new[] { " Path: ", " LineNumber: " })
        {
            var i = message.IndexOf(cut, StringComparison.Ordinal);
            if (i >= 0) message = message[..i];
        }
        return message.Replace(" Change the reader options.", "").Replace(" which is not supported in this mode", "").Trim();
    }

    /// <summary>A JSON string value.</summary>
    public static JsonElement String(string s) => Build(w => w.WriteStringValue(s));

    /// <summary>Builds an element with a writer callback.</summary>
    public static JsonElement Build(Action<Utf8JsonWriter> write)
    {
        var buffer = new System.Buffers.ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            write(writer);
        }
        using var doc = JsonDocument.Parse(buffer.WrittenMemory);
        return doc.RootElement.Clone();
    }

    /// <summary>Compact JSON text of a value.</summary>
    public static string ToCompact(JsonElement value) => JsonSerializer.Serialize(value, CompactOptions);

    /// <summary>Canonical JSON text: object keys sorted ordinally, compact, numbers as written. Used for hashing and equality.</summary>
    public static string Canonical(JsonElement value)
    {
        var buffer = new System.Buffers.ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            WriteCanonical(writer, value);
        }
        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    /// <summary>Writes a value with object keys sorted ordinally.</summary>
    public static void WriteCanonical(Utf8JsonWriter writer, JsonElement value)
    {
        switch (value.ValueKind)
        {
            case JsonValueKind.Object:
                writer.WriteStartObject();
                foreach (var p in value.EnumerateObject().OrderBy(p => p.Name, StringComparer.Ordinal))
                {
                    writer.WritePropertyName(p.Name);
                    WriteCanonical(writer, p.Value);
                }
                writer.WriteEndObject();
                break;
            case JsonValueKind.Array:
                writer.WriteStartArray();
                foreach (var item in value.EnumerateArray()) WriteCanonical(writer, item);
                writer.WriteEndArray();
                break;
            default:
                value.WriteTo(writer);
                break;
        }
    }

    /// <summary>The JSON type name of a value as JSON Schema spells it ("integer" for whole numbers).</summary>
    public static string SchemaTypeName(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.Object => "object",
        JsonValueKind.Array => "array",
        JsonValueKind.String => "string",
        JsonValueKind.Number => IsInteger(value) ? "integer" : "number",
        JsonValueKind.True or JsonValueKind.False => "boolean",
        JsonValueKind.Null => "null",
        _ => "undefined",
    };

    /// <summary>True for a number written without fraction or exponent, or whose value is integral (e.g. 2.0 is not).</summary>
    /// <remarks>JSON Schema treats 2.0 as an integer; tool-calling checkers (BFCL) do not. We follow the text: "2.0" is a number.</remarks>
    public static bool IsInteger(JsonElement value)
    {
        if (value.ValueKind != JsonValueKind.Number) return false;
        var raw = value.GetRawText();
        return raw.IndexOfAny(['.', 'e', 'E']) < 0;
    }

    /// <summary>Parses a JSON file, turning a syntax error into a message with file, line and column.</summary>
    public static JsonElement ParseFile(string path) => ParseText(Core.Data.TextFiles.Read(path), path);

    /// <summary>Parses JSON text, turning a syntax error into a message with source, line and column.</summary>
    public static JsonElement ParseText(string text, string source)
    {
        try { return JsonValues.Parse(text); }
        catch (JsonException ex)
        {
            var line = (int)(ex.LineNumber ?? 0) + 1;
            throw new InputFormatException(source, $"column {(ex.BytePositionInLine ?? 0) + 1}", "valid JSON", JsonValues.Describe(ex), line, ex);
        }
    }
}
