using ToolSharp.Evaluation.Statistics;

namespace ToolSharp.Evaluation.Reports;

/// <summary>A model's accuracy under the standard configuration (every factor at its baseline level), over all seeds, with a 95% CI over tasks.</summary>
public sealed record StandardScore(string Model, int Episodes, ConfidenceInterval Accuracy);
