namespace ToolSharp.Evaluation.Store;

/// <summary>One stored episode with its configuration's labels: the row statistics and reports work from.</summary>
public sealed record StoredEpisode
{
    public required string ConfigHash { get; init; }
    public required string Model { get; init; }
    public required string Environment { get; init; }
    /// <summary>Factor name → level (system_prompt, template, history, format, temperature, top_p).</summary>
    public required IReadOnlyDictionary<string, string> Factors { get; init; }
    public required string TaskId { get; init; }
    public int Seed { get; init; }
    public int Trial { get; init; }
    public double Reward { get; init; }
    public bool Correct { get; init; }
    public string Ending { get; init; } = "";
    public int Turns { get; init; }
    public int ToolCalls { get; init; }
    public int FailedToolCalls { get; init; }
    public int MalformedCalls { get; init; }
    public long PromptTokens { get; init; }
    public long CompletionTokens { get; init; }
    public long UncachedPromptTokens { get; init; }
    public double LatencyMilliseconds { get; init; }
    public string Split { get; init; } = "";

    /// <summary>The label of the configuration without the model: environment and factor levels.</summary>
    public string SettingLabel => Environment + " · " + string.Join("|", Sweeps.FactorSetting.FactorNames.Select(f => Factors.GetValueOrDefault(f, "")));
}
