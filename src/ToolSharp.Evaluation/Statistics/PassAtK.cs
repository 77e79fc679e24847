namespace ToolSharp.Evaluation.Statistics;

/// <summary>pass@k and pass^k from n attempts per task with c successes, averaged over tasks.</summary>
/// <remarks>
/// pass@k = 1 − C(n−c, k)/C(n, k): the chance that at least one of k attempts drawn without replacement succeeds
/// (Chen et al. 2021). pass^k = C(c, k)/C(n, k): the chance that all k succeed — τ-bench's reliability measure, which
/// falls quickly for agents that succeed only sometimes. Both are unbiased estimators for k ≤ n.
/// </remarks>
public static class PassAtK
{
    public static double PassAt(int n, int c, int k)
    {
        Check(n, c, k);
        return n - c < k ? 1.0 : 1.0 - Ratio(n - c, n, k);
    }

    public static double PassHat(int n, int c, int k)
    {
        Check(n, c, k);
        return c < k ? 0.0 : Ratio(c, n, k);
    }

    /// <summary>Average over tasks of (n, c) pairs; tasks with fewer than k attempts are skipped.</summary>
    public static double Average(IEnumerable<(int N, int C)> tasks, int k, bool hat)
    {
        var values = tasks.Where(t => t.N >= k).Select(t => hat ? PassHat(t.N, t.C, k) : PassAt(t.N, t.C, k)).ToList();
        return values.Count == 0 ? double.NaN : values.Average();
    }

    // C(a, k) / C(n, k) = Π_{i<k} (a − i)/(n − i), computed as a product to stay exact-ish and overflow-free.
    private static double Ratio(int a, int n, int k)
    {
        var r = 1.0;
        for (var i = 0; i < k; i++) r *= (double)(a - i) / (n - i);
        return r;
    }

    private static void Check(int n, int c, int k)
    {
        if (n < 1 || c < 0 || c > n || k < 1 || k > n)
            throw new ArgumentOutOfRangeException(nameof(k), $"need 1 ≤ k ≤ n and 0 ≤ c ≤ n, found n={n}, c={c}, k={k}");
    }
}
