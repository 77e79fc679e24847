using ToolSharp.Evaluation.Statistics;

namespace ToolSharp.Evaluation.Reports;

/// <summary>A model over the whole sweep: accuracy with CI, per-environment (BFCL: per-category) accuracy and their unweighted mean.</summary>
public sealed record ModelSummary(string Model, int Episodes, ConfidenceInterval Accuracy, IReadOnlyDictionary<string, double> ByEnvironment, double UnweightedAverage, double Pte);
