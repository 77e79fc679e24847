using System.Text.Json;
using System.Text.Json.Serialization;

namespace ToolSharp.Evaluation.Store;

/// <summary>Writes a flag as 1 or 0, as SQLite stores it and as exports have always shown it (so <c>AVG(correct)</c>
/// and <c>mean(row["correct"])</c> read the same).</summary>
public sealed class ZeroOneJsonConverter : JsonConverter<bool>
{
    public override bool Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        reader.TokenType switch
        {
            JsonTokenType.True => true,
            JsonTokenType.False => false,
            _ => reader.GetInt64() != 0,
        };

    public override void Write(Utf8JsonWriter writer, bool value, JsonSerializerOptions options) => writer.WriteNumberValue(value ? 1 : 0);
}
