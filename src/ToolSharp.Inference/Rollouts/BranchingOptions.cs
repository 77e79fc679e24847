namespace ToolSharp.Inference.Rollouts;

/// <summary>Entropy-adaptive tree sampling (ARPO's rollout): a budget of M rollouts per request starts as N global
/// samples; after a tool result, a rollout may fork Z branches that restart that turn from the same point.</summary>
/// <param name="Budget">M: rollouts per request in all.</param>
/// <param name="Global">N: rollouts sampled from the prompt before any branching.</param>
/// <param name="Branches">Z: branches per fork.</param>
/// <param name="Beta">β: weight of the entropy change in the branching probability.</param>
/// <param name="Tau">τ: threshold of the branching probability.</param>
/// <param name="EntropyWindow">k: tokens whose mean entropy is compared.</param>
public sealed record BranchingOptions(int Budget = 16, int Global = 8, int Branches = 2, double Beta = 0.2, double Tau = 0.5, int EntropyWindow = 20);
