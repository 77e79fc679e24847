using ToolSharp.Training.Samples;

namespace ToolSharp.Training.Advantages;

/// <summary>ARPO hard advantage attribution on trained samples: a generated token shared by a parent and its branches
/// gets the mean advantage of every trained sample that contains it; tokens after a branch point keep their own.</summary>
/// <remarks>Soft attribution is plain GRPO over the tree (each sample keeps its own advantage on every token), so it
/// needs nothing here. Under token-mean aggregation with one on-policy update the two give the same gradient.</remarks>
public static class ArpoAttribution
{
    /// <summary>New per-token advantages for <paramref name="samples"/> (<paramref name="tokenAdvantages"/> is not changed).</summary>
    public static float[][] Apply(IReadOnlyList<Sample> samples, IReadOnlyList<float[]> tokenAdvantages)
    {
        var result = tokenAdvantages.Select(a => (float[])a.Clone()).ToArray();
        foreach (var family in samples.Select((s, i) => (s, i)).GroupBy(x => (x.s.PromptId, Root: x.s.BranchOf ?? x.s.GroupIndex)))
        {
            var members = family.ToList();
            if (members.Count < 2) continue;
            var parent = members.FirstOrDefault(m => m.s.BranchOf is null);
            if (parent.s is null) continue; // the parent was not kept for the update: its branches keep their own advantages
            // Segment 0 ends at the shallowest branch point, segment j at the j-th; a sample contains the segments up
            // to its own branch point (branches) or all of them (the parent).
            var cuts = members.Where(m => m.s.BranchOf is not null).Select(m => m.s.SharedPrefix).Distinct().Order().ToList();
            var segments = members.Select(m => (IReadOnlyList<int>)Enumerable.Range(0, cuts.Count)
                .Where(c => m.s.BranchOf is null || cuts[c] <= m.s.SharedPrefix).ToList()).ToList();
            var shared = HardAttribution(segments, members.Select(m => m.s.Advantage).ToList());
            for (var k = 0; k < members.Count; k++)
            {
                var (s, i) = members[k];
                var start = s.PromptLength;
                for (var c = 0; c < cuts.Count; c++)
                {
                    var end = Math.Min(cuts[c], s.BranchOf is null ? s.Tokens.Length : s.SharedPrefix);
                    if (!segments[k].Contains(c)) break;
                    for (var p = start; p < end; p++)
                        if (s.LossMask[p] > 0) result[i][p] = (float)shared[c];
                    start = Math.Max(start, end);
                }
            }
        }
        return result;
    }

    /// <summary>Hard attribution over a rollout tree: each segment gets the mean advantage of the trajectories that contain it.</summary>
    /// <param name="segmentsPerTrajectory">For each trajectory, the ids of the segments (shared prefix pieces and its own tail) it consists of.</param>
    /// <param name="advantages">Each trajectory's advantage.</param>
    public static Dictionary<int, double> HardAttribution(IReadOnlyList<IReadOnlyList<int>> segmentsPerTrajectory, IReadOnlyList<double> advantages)
    {
        var sums = new Dictionary<int, (double Sum, int Count)>();
        for (var i = 0; i < segmentsPerTrajectory.Count; i++)
        {
            foreach (var segment in segmentsPerTrajectory[i].Distinct())
            {
                var (s, c) = sums.GetValueOrDefault(segment);
                sums[segment] = (s + advantages[i], c + 1);
            }
        }
        return sums.ToDictionary(kv => kv.Key, kv => kv.Value.Sum / kv.Value.Count);
    }
}
