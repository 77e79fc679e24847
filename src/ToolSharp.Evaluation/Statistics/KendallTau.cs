namespace ToolSharp.Evaluation.Statistics;

/// <summary>Kendall's τ-b between two score vectors over the same items (ties handled), the agreement of two rankings.</summary>
public static class KendallTau
{
    /// <summary>τ-b in [−1, 1]; NaN when either vector is constant (no ranking to compare).</summary>
    public static double TauB(IReadOnlyList<double> x, IReadOnlyList<double> y)
    {
        if (x.Count != y.Count) throw new ArgumentException($"vectors differ in length: {x.Count} vs {y.Count}");
        long concordant = 0, discordant = 0, tiesX = 0, tiesY = 0;
        for (var i = 0; i < x.Count; i++)
        for (var j = i + 1; j < x.Count; j++)
        {
            var dx = Math.Sign(x[i] - x[j]);
            var dy = Math.Sign(y[i] - y[j]);
            if (dx == 0 && dy == 0) continue;
            if (dx == 0) { tiesX++; continue; }
            if (dy == 0) { tiesY++; continue; }
            if (dx == dy) concordant++; else discordant++;
        }
        var n0 = concordant + discordant;
        var denominator = Math.Sqrt((double)(n0 + tiesX) * (n0 + tiesY));
        return denominator == 0 ? double.NaN : (concordant - discordant) / denominator;
    }
}
