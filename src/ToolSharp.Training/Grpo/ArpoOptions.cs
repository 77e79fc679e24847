using ToolSharp.Inference.Rollouts;

namespace ToolSharp.Training.Grpo;

/// <summary>ARPO settings (<c>rl.arpo</c>; defaults from the paper): M total rollouts per prompt, N global, Z branches per
/// fork, β, τ, k for the entropy-adaptive tree sampling, and whether advantages use hard attribution.</summary>
public sealed record ArpoOptions(int Budget = 16, int Global = 8, int Branches = 2, double Beta = 0.2, double Tau = 0.5, int EntropyWindow = 20, bool HardAttribution = false)
{
    /// <summary>The rollout worker's tree sampling for these settings.</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public BranchingOptions Branching => new(Budget, Global, Branches, Beta, Tau, EntropyWindow);
}
