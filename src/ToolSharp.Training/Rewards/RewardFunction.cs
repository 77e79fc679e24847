using ToolSharp.Core.Messages;
using ToolSharp.Core.Tools;
using ToolSharp.Inference.Rollouts;

namespace ToolSharp.Training.Rewards;

/// <summary>Stage 1 of an RL step: the reward of every rollout of one prompt's group.</summary>
/// <remarks>
/// The environment's score is the default; OTC replaces it by α·r_tool·r_correct (which needs the whole group: the
/// fewest calls among its correct rollouts), ToolRL by format + graded call matching against the task's reference
/// calls. The format bonus, when set, is added last.
/// </remarks>
public static class RewardFunction
{
    /// <param name="group">The rollouts of one prompt.</param>
    /// <param name="options">Which reward.</param>
    /// <param name="referenceCalls">The task's reference calls (ToolRL only).</param>
    public static double[] Rewards(IReadOnlyList<Rollout> group, RewardOptions options, IReadOnlyList<ToolCall>? referenceCalls = null)
    {
        double[] rewards;
        if (options.ToolRl is { } toolRl)
        {
            if (referenceCalls is null) throw new ArgumentNullException(nameof(referenceCalls), "ToolRL needs the task's reference calls");
            rewards = group.Select(r =>
            {
                var calls = r.Driver.Transcript.Messages.Where(m => m.Role == ChatRole.Assistant).SelectMany(m => m.ToolCalls).ToList();
                // ToolRL gives unparseable output the minimum; calls read before a parse error still count as predictions.
                IReadOnlyList<ToolCall>? predicted = calls.Count == 0 && !r.WellFormed ? null : calls;
                return toolRl.FormatReward ? ToolRlReward.Total(referenceCalls, predicted, r.WellFormed) : ToolRlReward.Correctness(referenceCalls, predicted);
            }).ToArray();
        }
        else if (options.Otc is { } otc)
        {
            rewards = otc.PpoVariant
                ? group.Select(r => r.Score.Correct ? otc.Alpha * OtcReward.ToolScorePpo(r.ToolCalls, otc.C) : 0).ToArray()
                : OtcReward.GroupRewards(group.Select(r => r.ToolCalls).ToList(), group.Select(r => r.Score.Correct).ToList(), otc.Alpha, otc.C);
        }
        else
        {
            rewards = group.Select(r => r.Score.Reward).ToArray();
        }
        if (options.FormatReward != 0)
            for (var i = 0; i < rewards.Length; i++) rewards[i] += group[i].WellFormed ? options.FormatReward : 0;
        return rewards;
    }
}
