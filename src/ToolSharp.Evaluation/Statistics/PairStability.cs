namespace ToolSharp.Evaluation.Statistics;

/// <summary>How firmly two models are ordered.</summary>
/// <param name="First">The model ranked higher overall.</param>
/// <param name="Second">The model ranked lower overall.</param>
/// <param name="Difference">Overall mean of <paramref name="First"/> minus that of <paramref name="Second"/>.</param>
/// <param name="FlipAcrossSettings">Fraction of settings (environment × factor setting) in which the order is reversed (ties count half).</param>
/// <param name="FlipAcrossBootstrap">Fraction of task resamples in which the overall order is reversed (ties count half).</param>
/// <param name="ResolvableDifference">1.96 × the standard error of the task-paired difference: differences smaller than this are not resolved by the sweep.</param>
public sealed record PairStability(string First, string Second, double Difference, double FlipAcrossSettings, double FlipAcrossBootstrap, double ResolvableDifference);
