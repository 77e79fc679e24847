namespace ToolSharp.Evaluation.Statistics;

/// <summary>One scored episode for ranking statistics: which model, under which setting, on which task (the resampling cluster).</summary>
public sealed record Observation(string Model, string Setting, string Cluster, double Score);
