namespace ToolSharp.Evaluation.Reports;

/// <summary>The mean score of each model at each level of one factor (other factors averaged over the sweep).</summary>
public sealed record FactorEffect(string Factor, IReadOnlyList<string> Levels, IReadOnlyDictionary<string, IReadOnlyList<double>> MeansByModel);
