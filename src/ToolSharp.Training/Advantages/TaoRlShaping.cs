namespace ToolSharp.Training.Advantages;

/// <summary>TAO-RL's entropy-guided advantage shaping (its all-tool-calls-failed filter is a selection rule, in SampleSelection).</summary>
/// <remarks>
/// Shaping applies to tokens of the assistant turn right after a tool result: A'_t = A_t · (1 + c·(H_t − μ_H)/σ_H),
/// where μ_H and σ_H are the mean and standard deviation of entropy over all valid response tokens of the mini-batch,
/// so uncertain post-tool decisions get a larger share of the update. c = 0.01 by default.
/// </remarks>
public static class TaoRlShaping
{
    public const double DefaultCoefficient = 0.01;

    /// <summary>Shapes per-token advantages in place-free fashion and returns new arrays.</summary>
    /// <param name="advantages">Per sequence, per token.</param>
    /// <param name="entropies">Per sequence, per token: entropy of the sampling distribution at that token.</param>
    /// <param name="validMask">1 for response tokens (used for μ and σ).</param>
    /// <param name="postToolMask">true for tokens of the first assistant turn after a tool result.</param>
    public static float[][] Shape(IReadOnlyList<float[]> advantages, IReadOnlyList<float[]> entropies, IReadOnlyList<float[]> validMask,
        IReadOnlyList<bool[]> postToolMask, double coefficient = DefaultCoefficient)
    {
        double sum = 0, sumSq = 0, count = 0;
        for (var s = 0; s < entropies.Count; s++)
        {
            for (var t = 0; t < entropies[s].Length; t++)
            {
                if (validMask[s][t] <= 0) continue;
                sum += entropies[s][t];
                sumSq += (double)entropies[s][t] * entropies[s][t];
                count++;
            }
        }
        var result = advantages.Select(a => (float[])a.Clone()).ToArray();
        if (count < 2) return result;
        var mean = sum / count;
        var std = Math.Sqrt(Math.Max(0, sumSq / count - mean * mean));
        if (std < 1e-8) return result;
        for (var s = 0; s < result.Length; s++)
        {
            for (var t = 0; t < result[s].Length; t++)
            {
                if (!postToolMask[s][t] || validMask[s][t] <= 0) continue;
                result[s][t] = (float)(advantages[s][t] * (1 + coefficient * (entropies[s][t] - mean) / std));
            }
        }
        return result;
    }
}
