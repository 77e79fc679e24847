using System.Text.Json;
using System.Text.Json.Serialization;

namespace ToolSharp.Evaluation.Store;

/// <summary>One stored episode with its configuration's labels and factor levels: the row statistics, reports and
/// <c>report --export</c> work from. Its JSON form (snake_case, factors as top-level keys) is the JSONL export line.</summary>
public sealed record StoredEpisode
{
    public required string Model { get; init; }
    public required string Environment { get; init; }
    /// <summary>Factor name → level, in the store's factor order (e.g. system_prompt, template, history, format, temperature, top_p).</summary>
    [JsonIgnore]
    public IReadOnlyDictionary<string, string> Factors { get; init; } = new Dictionary<string, string>();
    public required string ConfigHash { get; init; }
    public required string TaskId { get; init; }
    public int Seed { get; init; }
    public int Trial { get; init; }
    public string Split { get; init; } = "";
    public double Reward { get; init; }
    [JsonConverter(typeof(ZeroOneJsonConverter))]
    public bool Correct { get; init; }
    public string? Expected { get; init; }
    public string? Got { get; init; }
    public string? Details { get; init; }
    public string Ending { get; init; } = "";
    public int Turns { get; init; }
    public int ToolCalls { get; init; }
    public int FailedToolCalls { get; init; }
    public int MalformedCalls { get; init; }
    public long PromptTokens { get; init; }
    public long CompletionTokens { get; init; }
    public long UncachedPromptTokens { get; init; }
    [JsonConverter(typeof(ZeroOneJsonConverter))]
    public bool TokensEstimated { get; init; }
    [JsonPropertyName("latency_ms")]
    public double LatencyMilliseconds { get; init; }
    /// <summary>Every step of the episode (JSON array); null unless trajectories were read.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public JsonElement? Steps { get; init; }
    /// <summary>The full conversation (OpenAI chat JSON); null unless trajectories were read.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public JsonElement? Transcript { get; init; }
    public string FinishedAt { get; init; } = "";

    /// <summary>The label of the configuration without the model: environment and factor levels.</summary>
    [JsonIgnore]
    public string SettingLabel => Environment + " · " + string.Join("|", Factors.Values);
}
