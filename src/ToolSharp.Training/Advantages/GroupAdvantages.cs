using ToolSharp.Training.Samples;

namespace ToolSharp.Training.Advantages;

/// <summary>Outcome advantages computed within groups of rollouts of the same prompt (pure functions, as in verl's core_algos).</summary>
public static class GroupAdvantages
{
    public const double DefaultEpsilon = 1e-6;

    /// <summary>Advantages for one group of rewards.</summary>
    public static double[] Compute(AdvantageEstimator estimator, ReadOnlySpan<double> rewards, double epsilon = DefaultEpsilon)
    {
        var n = rewards.Length;
        var result = new double[n];
        if (n == 0) return result;
        if (n == 1) return result; // no baseline exists for a lone rollout: its advantage is zero under every estimator

        var mean = 0.0;
        foreach (var r in rewards) mean += r;
        mean /= n;

        switch (estimator)
        {
            case AdvantageEstimator.Grpo:
            {
                var ss = 0.0;
                foreach (var r in rewards) ss += (r - mean) * (r - mean);
                var std = Math.Sqrt(ss / (n - 1));
                for (var i = 0; i < n; i++) result[i] = (rewards[i] - mean) / (std + epsilon);
                break;
            }
            case AdvantageEstimator.DrGrpo:
                for (var i = 0; i < n; i++) result[i] = rewards[i] - mean;
                break;
            case AdvantageEstimator.Rloo:
                var scale = n / (double)(n - 1);
                for (var i = 0; i < n; i++) result[i] = scale * (rewards[i] - mean);
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(estimator), estimator, null);
        }
        return result;
    }

    /// <summary>Advantages for rollouts of many prompts at once; <paramref name="groupIds"/>[i] names rollout i's prompt.</summary>
    public static double[] Compute<TKey>(AdvantageEstimator estimator, IReadOnlyList<double> rewards, IReadOnlyList<TKey> groupIds, double epsilon = DefaultEpsilon)
        where TKey : notnull
    {
        if (rewards.Count != groupIds.Count) throw new ArgumentException($"{rewards.Count} rewards but {groupIds.Count} group ids");
        var result = new double[rewards.Count];
        foreach (var group in Enumerable.Range(0, rewards.Count).GroupBy(i => groupIds[i]))
        {
            var members = group.ToArray();
            var values = members.Select(i => rewards[i]).ToArray();
            var adv = Compute(estimator, values, epsilon);
            for (var k = 0; k < members.Length; k++) result[members[k]] = adv[k];
        }
        return result;
    }

    /// <summary>Stage 2 of an RL step: each sample of one prompt's group with its advantage, computed over the whole group.</summary>
    public static IReadOnlyList<Sample> Assign(AdvantageEstimator estimator, IReadOnlyList<Sample> group)
    {
        var advantages = Compute(estimator, group.Select(s => s.Reward).ToArray());
        return group.Select((s, i) => s with { Advantage = advantages[i] }).ToList();
    }

    /// <summary>True when every reward in the group is the same (zero advantage for all: the group teaches nothing).</summary>
    public static bool IsZeroVariance(ReadOnlySpan<double> rewards, double tolerance = 1e-12)
    {
        for (var i = 1; i < rewards.Length; i++)
        {
            if (Math.Abs(rewards[i] - rewards[0]) > tolerance) return false;
        }
        return true;
    }
}
