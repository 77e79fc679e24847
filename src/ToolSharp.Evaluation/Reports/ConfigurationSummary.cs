using ToolSharp.Evaluation.Statistics;

namespace ToolSharp.Evaluation.Reports;

/// <summary>Results of one model × configuration: accuracy with its CI, pass@k / pass^k, and efficiency.</summary>
public sealed record ConfigurationSummary
{
    public required string Hash { get; init; }
    public required string Model { get; init; }
    public required string Environment { get; init; }
    public required IReadOnlyDictionary<string, string> Factors { get; init; }
    public int Episodes { get; init; }
    public int Tasks { get; init; }
    /// <summary>Fraction of episodes scored correct, with a 95% CI from resampling tasks.</summary>
    public ConfidenceInterval Accuracy { get; init; }
    public double MeanReward { get; init; }
    /// <summary>k → pass@k and pass^k over the attempts per task (seeds × trials).</summary>
    public IReadOnlyDictionary<int, double> PassAt { get; init; } = new Dictionary<int, double>();
    public IReadOnlyDictionary<int, double> PassHat { get; init; } = new Dictionary<int, double>();
    public double Turns { get; init; }
    public double ToolCalls { get; init; }
    public double MalformedCalls { get; init; }
    public double PromptTokens { get; init; }
    public double CompletionTokens { get; init; }
    /// <summary>Mean prefill-token equivalents per episode.</summary>
    public double Pte { get; init; }
    public double LatencyMilliseconds { get; init; }
    /// <summary>Correct episodes per tool call (NaN without tool calls).</summary>
    public double ToolProductivity { get; init; }
    /// <summary>Expected cost of one correct episode (mean cost per episode / accuracy), when prices were given.</summary>
    public double? CostOfPass { get; init; }

    public string SettingLabel => Environment + " · " + string.Join("|", Factors.Values);
}
