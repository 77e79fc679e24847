namespace ToolSharp.Training.Rewards;

/// <summary>OTC (Optimal Tool Calls) reward: correctness scaled by how close the trajectory's tool-call count is to the group's best.</summary>
/// <remarks>
/// From "Acting Less is Reasoning More" (OTC). With m tool calls in this trajectory and n the fewest tool calls among the
/// group's correct trajectories: r = α · r_tool · r_correct, where for OTC-GRPO
/// r_tool = 1 if m = n = 0; cos(mπ / (2m + c)) if n = 0; sin(f(m, n)·π / (2n)) otherwise, with f(m, n) = 2nm / (m + n),
/// which is 1 exactly at m = n and falls off on both sides (too few and too many calls). OTC-PPO has no group, so
/// r_tool = cos(mπ / (2m + c)) (fewer calls is better). A wrong answer gets 0 whatever its calls.
/// </remarks>
public static class OtcReward
{
    /// <summary>r_tool for OTC-GRPO.</summary>
    public static double ToolScoreGrpo(int m, int n, double c = 1.0)
    {
        if (m < 0 || n < 0) throw new ArgumentOutOfRangeException(m < 0 ? nameof(m) : nameof(n), "tool-call counts cannot be negative");
        if (m == 0 && n == 0) return 1.0;
        if (n == 0) return Math.Cos(m * Math.PI / (2 * m + c));
        var f = m == 0 ? 0.0 : 2.0 * n * m / (m + n);
        return Math.Sin(f * Math.PI / (2 * n));
    }

    /// <summary>r_tool for OTC-PPO.</summary>
    public static double ToolScorePpo(int m, double c = 1.0)
    {
        if (m < 0) throw new ArgumentOutOfRangeException(nameof(m), "tool-call count cannot be negative");
        return Math.Cos(m * Math.PI / (2 * m + c));
    }

    /// <summary>OTC-GRPO rewards for a group: <paramref name="toolCalls"/>[i] and <paramref name="correct"/>[i] per trajectory.</summary>
    public static double[] GroupRewards(IReadOnlyList<int> toolCalls, IReadOnlyList<bool> correct, double alpha = 1.0, double c = 1.0)
    {
        var correctCalls = toolCalls.Where((_, i) => correct[i]).ToList();
        var result = new double[toolCalls.Count];
        if (correctCalls.Count == 0) return result; // nobody was right: every reward is 0
        var n = correctCalls.Min();
        for (var i = 0; i < result.Length; i++) result[i] = correct[i] ? alpha * ToolScoreGrpo(toolCalls[i], n, c) : 0.0;
        return result;
    }

    /// <summary>Tool productivity: correct answers per tool call (higher is better; defined as correct answers when no calls were made).</summary>
    public static double ToolProductivity(int correctAnswers, int toolCalls) => toolCalls == 0 ? correctAnswers : (double)correctAnswers / toolCalls;
}
