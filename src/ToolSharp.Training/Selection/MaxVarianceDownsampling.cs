namespace ToolSharp.Training.Selection;

/// <summary>Chooses which m of n rollouts to train on so that their rewards have maximal variance.</summary>
/// <remarks>
/// The policy update costs grow with the rollouts it back-propagates through, while the learning signal comes from
/// reward differences. With rewards sorted, an optimal m-subset is always the i largest plus the m−i smallest for
/// some i (moving any interior element outward can only increase the spread), so trying every i with prefix sums
/// finds it in O(n log n). Advantages are computed on all n rollouts before this selection, so the baseline stays
/// the full group's. Ties are broken by index so the choice is deterministic.
/// </remarks>
public static class MaxVarianceDownsampling
{
    /// <summary>Indices (ascending) of the chosen subset of size <paramref name="m"/> (all indices when m ≥ n).</summary>
    public static int[] Select(IReadOnlyList<double> rewards, int m)
    {
        var n = rewards.Count;
        if (m <= 0) return [];
        if (m >= n) return Enumerable.Range(0, n).ToArray();

        var order = Enumerable.Range(0, n).OrderBy(i => rewards[i]).ThenBy(i => i).ToArray();
        var sorted = order.Select(i => rewards[i]).ToArray();
        var prefix = new double[n + 1];
        var prefixSq = new double[n + 1];
        for (var k = 0; k < n; k++)
        {
            prefix[k + 1] = prefix[k] + sorted[k];
            prefixSq[k + 1] = prefixSq[k] + sorted[k] * sorted[k];
        }

        var bestTop = 0;
        var bestVariance = double.NegativeInfinity;
        for (var top = 0; top <= m; top++)
        {
            var bottom = m - top;
            var sum = prefix[bottom] + (prefix[n] - prefix[n - top]);
            var sumSq = prefixSq[bottom] + (prefixSq[n] - prefixSq[n - top]);
            var variance = sumSq / m - (sum / m) * (sum / m);
            if (variance > bestVariance + 1e-12)
            {
                bestVariance = variance;
                bestTop = top;
            }
        }
        var chosen = order.Take(m - bestTop).Concat(order.Skip(n - bestTop)).ToArray();
        Array.Sort(chosen);
        return chosen;
    }

    /// <summary>Population variance of a set of values.</summary>
    public static double Variance(IEnumerable<double> values)
    {
        var list = values.ToList();
        if (list.Count == 0) return 0;
        var mean = list.Average();
        return list.Sum(v => (v - mean) * (v - mean)) / list.Count;
    }
}
