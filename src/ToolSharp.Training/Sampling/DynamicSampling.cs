using ToolSharp.Training.Advantages;

namespace ToolSharp.Training.Sampling;

/// <summary>DAPO's dynamic sampling: drop groups whose rewards are all equal (after rollout), refilling from further prompts.</summary>
/// <remarks>Unlike <see cref="PromptFilter"/>, this pays for the rollouts it discards; it is here so the two can be compared.</remarks>
public static class DynamicSampling
{
    /// <summary>Indices of the groups to keep: those with some reward variance.</summary>
    public static int[] InformativeGroups(IReadOnlyList<double[]> groupRewards) =>
        Enumerable.Range(0, groupRewards.Count).Where(g => !GroupAdvantages.IsZeroVariance(groupRewards[g])).ToArray();
}
