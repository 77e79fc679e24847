using ToolSharp.Core.Randomness;

namespace ToolSharp.Evaluation.Statistics;

/// <summary>Seeded percentile bootstrap for means, over independent values or over clusters (tasks with several seeds).</summary>
/// <remarks>
/// Episodes of the same task under different seeds are not independent — a hard task is hard for every seed — so the
/// honest unit of resampling is the task: <see cref="ClusterMean"/> draws tasks with replacement and keeps all of a
/// drawn task's episodes. Resampling episodes instead would understate the interval whenever tasks differ in difficulty.
/// </remarks>
public static class Bootstrap
{
    public const int DefaultResamples = 2000;

    public static ConfidenceInterval Mean(IReadOnlyList<double> values, ulong seed, int resamples = DefaultResamples, double level = 0.95) =>
        ClusterMean(values.Select(v => (IReadOnlyList<double>)[v]).ToList(), seed, resamples, level);

    /// <summary>The mean over all values, with a CI from resampling whole clusters.</summary>
    public static ConfidenceInterval ClusterMean(IReadOnlyList<IReadOnlyList<double>> clusters, ulong seed, int resamples = DefaultResamples, double level = 0.95)
    {
        if (clusters.Count == 0) return new ConfidenceInterval(double.NaN, double.NaN, double.NaN);
        var sums = clusters.Select(c => c.Sum()).ToArray();
        var counts = clusters.Select(c => c.Count).ToArray();
        var estimate = sums.Sum() / counts.Sum();
        var rng = new SeededRandom(seed);
        var stats = new double[resamples];
        for (var b = 0; b < resamples; b++)
        {
            double s = 0; long n = 0;
            for (var i = 0; i < clusters.Count; i++)
            {
                var j = rng.Next(clusters.Count);
                s += sums[j];
                n += counts[j];
            }
            stats[b] = n == 0 ? estimate : s / n;
        }
        Array.Sort(stats);
        var alpha = (1 - level) / 2;
        return new ConfidenceInterval(estimate, Quantile(stats, alpha), Quantile(stats, 1 - alpha));
    }

    /// <summary>Linear-interpolated quantile of sorted values (the R-7 / NumPy default definition).</summary>
    public static double Quantile(IReadOnlyList<double> sorted, double q)
    {
        if (sorted.Count == 1) return sorted[0];
        var pos = q * (sorted.Count - 1);
        var lo = (int)Math.Floor(pos);
        var hi = Math.Min(lo + 1, sorted.Count - 1);
        return sorted[lo] + (pos - lo) * (sorted[hi] - sorted[lo]);
    }
}
