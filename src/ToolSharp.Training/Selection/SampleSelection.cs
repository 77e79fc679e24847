using ToolSharp.Training.Advantages;
using ToolSharp.Training.Samples;

namespace ToolSharp.Training.Selection;

/// <summary>Stage 3 of an RL step: which rollouts the update trains on.</summary>
/// <remarks>
/// Two decisions. Per group, after rollout: a group whose rewards are all equal teaches nothing (every advantage is 0);
/// DAPO drops it and samples more prompts, TAO-RL drops it without refilling (<see cref="IsInformative"/>). Per
/// sample, in the kept groups: max-variance down-sampling keeps the m rollouts whose rewards vary most (advantages were
/// computed on all n before, so the baseline stays the full group's), then TAO-RL leaves out rollouts whose tool calls
/// all failed (<see cref="Select"/>).
/// </remarks>
public static class SampleSelection
{
    /// <summary>TAO-RL's filter: true when the rollout made at least one tool call and every one failed (parse, schema or execution error).</summary>
    public static bool AllToolCallsFailed(Sample sample) => sample.CallFailed.Count > 0 && sample.CallFailed.All(f => f);

    /// <summary>True when the group's rewards differ (some advantage is not zero).</summary>
    public static bool IsInformative(IReadOnlyList<Sample> group) => !GroupAdvantages.IsZeroVariance(group.Select(s => s.Reward).ToArray());

    /// <summary>The samples to train on, group by group in order, and how many the all-failed filter left out.</summary>
    public static (IReadOnlyList<Sample> Selected, int DroppedAllFailed) Select(IReadOnlyList<IReadOnlyList<Sample>> groups, SelectionOptions options)
    {
        var selected = new List<Sample>();
        var dropped = 0;
        foreach (var group in groups)
        {
            var rewards = group.Select(s => s.Reward).ToArray();
            var chosen = options.UpdateRollouts < group.Count ? MaxVarianceDownsampling.Select(rewards, options.UpdateRollouts) : Enumerable.Range(0, group.Count).ToArray();
            foreach (var i in chosen)
            {
                if (options.DropAllToolCallsFailed && AllToolCallsFailed(group[i]))
                {
                    dropped++;
                    continue;
                }
                selected.Add(group[i]);
            }
        }
        return (selected, dropped);
    }
}
