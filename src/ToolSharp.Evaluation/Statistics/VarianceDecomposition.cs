namespace ToolSharp.Evaluation.Statistics;

/// <summary>ANOVA-style decomposition of score variance over a sweep grid: η² per factor and per model × factor interaction.</summary>
/// <remarks>
/// For a factor F with levels l, SS_F = Σ_l n_l (ȳ_l − ȳ)², and η²_F = SS_F / SS_total with SS_total = Σ (y − ȳ)².
/// On a balanced full design (every level combination with the same number of episodes) main effects are orthogonal
/// and the shares of main effects and interactions add up to at most 1. On unbalanced designs (one-factor-at-a-time,
/// random subsets, interrupted sweeps) factors are correlated and the shares can overlap: read them as "how much of
/// the variance lines up with this factor", not as an exact partition.
/// </remarks>
public static class VarianceDecomposition
{
    /// <param name="scores">One score per observation.</param>
    /// <param name="factors">Factor name → the level of each observation (same length as scores).</param>
    /// <param name="modelFactor">The name of the factor that identifies the model, for interactions; null for none.</param>
    public static IReadOnlyList<VarianceShare> Compute(IReadOnlyList<double> scores, IReadOnlyDictionary<string, IReadOnlyList<string>> factors, string? modelFactor = "model")
    {
        var mean = scores.Average();
        var total = scores.Sum(y => (y - mean) * (y - mean));
        var result = new List<VarianceShare>();
        var ssModel = modelFactor is not null && factors.TryGetValue(modelFactor, out var models) ? SumOfSquares(scores, models, mean) : double.NaN;
        foreach (var (name, levels) in factors)
        {
            if (levels.Count != scores.Count) throw new ArgumentException($"factor '{name}' has {levels.Count} levels for {scores.Count} scores");
            var ss = SumOfSquares(scores, levels, mean);
            double interaction = double.NaN;
            if (modelFactor is not null && name != modelFactor && factors.TryGetValue(modelFactor, out var m))
            {
                var cells = levels.Select((l, i) => m[i] + "\u0001" + l).ToList();
                interaction = Math.Max(0, SumOfSquares(scores, cells, mean) - ssModel - ss);
            }
            result.Add(new VarianceShare(name, total == 0 ? 0 : ss / total, total == 0 || double.IsNaN(interaction) ? (name == modelFactor ? double.NaN : 0) : interaction / total));
        }
        return result;
    }

    private static double SumOfSquares(IReadOnlyList<double> scores, IReadOnlyList<string> levels, double mean)
    {
        var groups = new Dictionary<string, (double Sum, int Count)>();
        for (var i = 0; i < scores.Count; i++)
        {
            groups.TryGetValue(levels[i], out var g);
            groups[levels[i]] = (g.Sum + scores[i], g.Count + 1);
        }
        return groups.Values.Sum(g => g.Count * Math.Pow(g.Sum / g.Count - mean, 2));
    }
}
