namespace ToolSharp.Evaluation.Statistics;

/// <summary>How far one factor moves one model's score: the mean at each level, and the swing (best level's mean minus
/// the worst's) with a 95% bootstrap CI over tasks.</summary>
/// <param name="Factor">The factor, e.g. <c>template</c> or <c>seed</c>.</param>
/// <param name="Model">The model.</param>
/// <param name="Levels">The factor's levels, in ordinal order.</param>
/// <param name="Means">The model's mean score at each level (other factors averaged as the design ran them).</param>
/// <param name="Best">The level with the highest mean.</param>
/// <param name="Worst">The level with the lowest mean.</param>
/// <param name="Swing">Max − min of <paramref name="Means"/>, with its interval.</param>
public sealed record FactorSwing(string Factor, string Model, IReadOnlyList<string> Levels, IReadOnlyList<double> Means, string Best, string Worst, ConfidenceInterval Swing);
