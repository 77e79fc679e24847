namespace ToolSharp.Training.Metrics;

/// <summary>One line of warmup/metrics.jsonl, written whenever the copy probe runs: the mean loss of the steps since the
/// previous line, the rate, throughput and the copy probe's accuracy (null when the run has no probe).</summary>
public sealed record WarmupMetrics(long Step, double Loss, float LearningRate, double TokensPerSecond, double? CopyAccuracy, double Seconds);
