namespace ToolSharp.Evaluation.Statistics;

/// <summary>The share of score variance a factor explains: its main effect, and its interaction with the model.</summary>
/// <param name="Factor">The factor name.</param>
/// <param name="MainEffect">η² = SS_factor / SS_total.</param>
/// <param name="ModelInteraction">SS_(model×factor) / SS_total, where SS_(model×factor) = SS_cells − SS_model − SS_factor
/// (how much the factor's effect differs between models); NaN for the model itself.</param>
public sealed record VarianceShare(string Factor, double MainEffect, double ModelInteraction);
