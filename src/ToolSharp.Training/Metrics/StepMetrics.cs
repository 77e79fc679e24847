namespace ToolSharp.Training.Metrics;

/// <summary>What one RL step did and cost; one line of metrics.jsonl.</summary>
public sealed record StepMetrics
{
    public long Step { get; init; }
    public int Epoch { get; init; }
    /// <summary>Wall-clock seconds since the run started (resumes continue the count).</summary>
    public double WallClockSeconds { get; init; }
    public double StepSeconds { get; init; }
    public IReadOnlyDictionary<string, double> Phases { get; init; } = new Dictionary<string, double>();
    public int PromptsRolledOut { get; init; }
    public int PromptsSkipped { get; init; }
    public long PromptsSkippedTotal { get; init; }
    public int Rollouts { get; init; }
    public int RolloutsTrained { get; init; }
    public int ZeroVarianceGroups { get; init; }
    public int FilteredAllFailed { get; init; }
    public double RewardMean { get; init; }
    public double TrainAccuracy { get; init; }
    public double ToolCallsMean { get; init; }
    public double ToolCallsPerSolved { get; init; }
    public int TokensGenerated { get; init; }
    public double GenerationTokensPerSecond { get; init; }
    public double Loss { get; init; }
    public double ClipFraction { get; init; }
    public double ApproxKl { get; init; }
    public double Entropy { get; init; }
    /// <summary>Mean entropy of policy tokens right after a tool result.</summary>
    public double PostToolEntropy { get; init; }
    public double GradNorm { get; init; }
    public float LearningRate { get; init; }
    public double? ValidationAccuracy { get; init; }
    public int Branches { get; init; }
}
