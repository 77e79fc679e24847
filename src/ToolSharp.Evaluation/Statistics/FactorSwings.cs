using ToolSharp.Core.Randomness;

namespace ToolSharp.Evaluation.Statistics;

/// <summary>Computes <see cref="FactorSwing"/>s: per model, the spread of its mean score over one factor's levels.</summary>
/// <remarks>
/// The interval resamples tasks (clusters) with replacement, keeping every episode of a drawn task at every level, and
/// recomputes max − min: the honest unit, since a hard task is hard at every level. Max − min of noisy means is biased
/// upward (even a factor with no effect shows a positive swing), so read a swing whose interval reaches near zero as
/// "not resolved", and compare it with the seed factor's swing, which is pure run-to-run noise.
/// </remarks>
public static class FactorSwings
{
    /// <summary>One swing per model; each observation's <see cref="Observation.Setting"/> is its level of the factor.</summary>
    public static IReadOnlyList<FactorSwing> Compute(string factor, IReadOnlyList<Observation> observations, ulong seed = 1, int resamples = 1000)
    {
        var levels = observations.Select(o => o.Setting).Distinct().Order(StringComparer.Ordinal).ToList();
        var result = new List<FactorSwing>();
        var modelIndex = 0UL;
        foreach (var model in observations.Select(o => o.Model).Distinct().Order(StringComparer.Ordinal))
        {
            var mine = observations.Where(o => o.Model == model).ToList();
            var clusters = mine.Select(o => o.Cluster).Distinct().Order(StringComparer.Ordinal).ToList();
            // Per cluster and level: (sum, count), so a resample is a sum over drawn clusters.
            var sums = mine.GroupBy(o => (o.Cluster, o.Setting)).ToDictionary(g => g.Key, g => (S: g.Sum(o => o.Score), N: g.Count()));
            var cells = clusters.Select(c => levels.Select(l => sums.GetValueOrDefault((c, l))).ToArray()).ToArray();
            var means = Means(cells, Enumerable.Range(0, clusters.Count), levels.Count);
            var present = Enumerable.Range(0, levels.Count).Where(i => !double.IsNaN(means[i])).ToList();
            var estimate = Spread(means);
            var rng = new SeededRandom(seed ^ (0x9E3779B97F4A7C15UL * ++modelIndex));
            var boot = new double[resamples];
            for (var b = 0; b < resamples; b++)
                boot[b] = Spread(Means(cells, Enumerable.Range(0, clusters.Count).Select(_ => rng.Next(clusters.Count)), levels.Count));
            var finite = boot.Where(double.IsFinite).Order().ToList();
            var ci = finite.Count == 0 ? new ConfidenceInterval(estimate, double.NaN, double.NaN)
                : new ConfidenceInterval(estimate, Bootstrap.Quantile(finite, 0.025), Bootstrap.Quantile(finite, 0.975));
            var best = present.Count == 0 ? "" : levels[present.MaxBy(i => means[i])];
            var worst = present.Count == 0 ? "" : levels[present.MinBy(i => means[i])];
            result.Add(new FactorSwing(factor, model, levels, means, best, worst, ci));
        }
        return result;
    }

    private static double[] Means((double S, int N)[][] cells, IEnumerable<int> draw, int levels)
    {
        var sums = new double[levels];
        var counts = new int[levels];
        foreach (var c in draw)
        for (var l = 0; l < levels; l++)
        {
            sums[l] += cells[c][l].S;
            counts[l] += cells[c][l].N;
        }
        return Enumerable.Range(0, levels).Select(l => counts[l] == 0 ? double.NaN : sums[l] / counts[l]).ToArray();
    }

    private static double Spread(double[] means)
    {
        var finite = means.Where(double.IsFinite).ToList();
        return finite.Count < 2 ? double.NaN : finite.Max() - finite.Min();
    }
}
