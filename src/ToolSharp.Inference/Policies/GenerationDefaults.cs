using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using ToolSharp.Core.Errors;

namespace ToolSharp.Inference.Policies;

/// <summary>A checkpoint's default generation limits, as Hugging Face keeps them in <c>generation_config.json</c>:
/// training writes the limits its rollouts and validation used, so evaluating the checkpoint repeats them.</summary>
/// <param name="MaxNewTokens">Tokens per assistant turn (<c>max_new_tokens</c>).</param>
/// <param name="MaxLength">Whole-conversation length cap (<c>max_length</c>); 0 for the model's context length.</param>
/// <param name="History">The history policy a run trained and validated with, when not keep (ToolSharp's key, absent otherwise).</param>
/// <param name="Construction">The multi-turn construction a run trained and validated with, when not native (ToolSharp's key).</param>
public sealed record GenerationDefaults(
    [property: JsonPropertyName("max_new_tokens")] int MaxNewTokens = 1024,
    [property: JsonPropertyName("max_length")] int MaxLength = 0,
    [property: JsonPropertyName("toolsharp_history"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? History = null,
    [property: JsonPropertyName("toolsharp_construction"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Construction = null)
{
    public const string FileName = "generation_config.json";

    /// <summary>The defaults in <paramref name="directory"/>'s <c>generation_config.json</c>; without one, the limits
    /// endpoints get (1,024 tokens a turn) and the model's whole context.</summary>
    public static GenerationDefaults Read(string directory)
    {
        var path = Path.Combine(directory, FileName);
        if (!File.Exists(path)) return new GenerationDefaults();
        try
        {
            return JsonSerializer.Deserialize<GenerationDefaults>(File.ReadAllText(path)) ?? new GenerationDefaults();
        }
        catch (JsonException ex)
        {
            throw new ToolSharpException($"{path}: not a generation config ({ex.Message})");
        }
    }

    /// <summary>The file's text (Hugging Face keys; the token ids a generation config also carries are the caller's to add).</summary>
    public string ToJson() => JsonSerializer.Serialize(this, new JsonSerializerOptions { WriteIndented = true });

    /// <summary>The generation config at <paramref name="path"/> (a Hugging Face model's, with its eos ids and sampling
    /// defaults) with these limits set; just these limits when there is no such file.</summary>
    public string MergeInto(string path)
    {
        if (!File.Exists(path)) return ToJson();
        var node = JsonNode.Parse(File.ReadAllText(path)) as JsonObject ?? throw new ToolSharpException($"{path}: not a generation config (expected a JSON object)");
        node["max_new_tokens"] = MaxNewTokens;
        node["max_length"] = MaxLength;
        // A folder that is itself a run's keeps no view of its own: these defaults say the new run's.
        node.Remove("toolsharp_history");
        node.Remove("toolsharp_construction");
        if (History is not null) node["toolsharp_history"] = History;
        if (Construction is not null) node["toolsharp_construction"] = Construction;
        return node.ToJsonString(new JsonSerializerOptions { WriteIndented = true });
    }
}
