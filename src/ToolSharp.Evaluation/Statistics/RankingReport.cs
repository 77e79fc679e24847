namespace ToolSharp.Evaluation.Statistics;

/// <summary>Ranking stability of a sweep: the overall ranking, the ranking under each setting, Kendall τ between settings,
/// pairwise flip probabilities, the smallest resolvable difference, and how many tasks a target CI width needs.</summary>
public sealed record RankingReport
{
    public required IReadOnlyList<string> Ranking { get; init; }
    public required IReadOnlyDictionary<string, double> OverallMeans { get; init; }
    public required IReadOnlyDictionary<string, IReadOnlyList<string>> RankingBySetting { get; init; }
    /// <summary>Mean Kendall τ-b between the model rankings of every pair of settings (NaN with fewer than two settings).</summary>
    public double MeanKendallTau { get; init; }
    public double MinKendallTau { get; init; }
    public required IReadOnlyList<PairStability> Pairs { get; init; }
    /// <summary>The largest <see cref="PairStability.ResolvableDifference"/> over pairs: below it, no ordering is trustworthy.</summary>
    public double ResolvableDifference { get; init; }
    /// <summary>Tasks needed for a 95% CI half-width of <see cref="TargetHalfWidth"/> on one model's mean, at the sweep's seeds per task.</summary>
    public int RecommendedTasks { get; init; }
    /// <summary>Seeds per task beyond which seed noise adds under 10% to the variance of a task's mean score.</summary>
    public int RecommendedSeeds { get; init; }
    public double TargetHalfWidth { get; init; }
}
