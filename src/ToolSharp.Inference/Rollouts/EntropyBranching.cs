using ToolSharp.Core.Randomness;

namespace ToolSharp.Inference.Rollouts;

/// <summary>ARPO's entropy-based branching rule: whether a rollout forks after a tool result.</summary>
/// <remarks>
/// After each tool result the policy generates k tokens; their mean entropy H_t (normalised by ln |V| so it lies in
/// [0, 1]) is compared with the mean entropy H_init of the first k tokens of the rollout:
/// ΔH_t = H_t − H_init. The rollout branches when P_t = α + β·ΔH_t exceeds τ, where α is drawn uniformly from
/// [0, 1) for every decision — the base sampling probability, so with no entropy change a branch happens with
/// probability 1 − τ. This is the rule ARPO's released code implements (there u = 1 − α and the test is
/// u − β·ΔH ≤ τ); defaults β = 0.2, τ = 0.5.
/// </remarks>
public static class EntropyBranching
{
    /// <summary>Decides one branching opportunity.</summary>
    public static bool ShouldBranch(double entropyNow, double entropyInitial, double beta, double tau, SeededRandom random)
    {
        var alpha = random.NextDouble();
        return alpha + beta * (entropyNow - entropyInitial) > tau;
    }

    /// <summary>Mean per-token entropy normalised by the maximum entropy ln(vocabularySize).</summary>
    public static double NormalisedMeanEntropy(ReadOnlySpan<float> entropies, int vocabularySize)
    {
        if (entropies.Length == 0) return 0;
        double sum = 0;
        foreach (var h in entropies) sum += h;
        return sum / entropies.Length / Math.Log(vocabularySize);
    }
}
