using ToolSharp.Training.Rollouts;
using ToolSharp.Training.Sampling;

namespace ToolSharp.Training.Advantages;

/// <summary>ARPO hard advantage attribution on trained trajectories: a generated token shared by a parent and its
/// branches gets the mean advantage of every trajectory that contains it; tokens after a branch point keep their own.</summary>
/// <remarks>Soft attribution is plain GRPO over the tree (each trajectory keeps its own advantage on every token), so it
/// needs nothing here.</remarks>
public static class ArpoAttribution
{
    public static void Apply(IReadOnlyList<Trajectory> trajectories, IReadOnlyList<double> advantages, float[][] tokenAdvantages)
    {
        foreach (var family in trajectories.Select((t, i) => (t, i)).GroupBy(x => (x.t.PromptId, Root: x.t.BranchOf ?? x.t.GroupIndex)))
        {
            var members = family.ToList();
            if (members.Count < 2) continue;
            var parent = members.FirstOrDefault(m => m.t.BranchOf is null);
            if (parent.t is null) continue; // the parent was not kept for the update: its branches keep their own advantages
            // Segment 0 ends at the shallowest branch point, segment j at the j-th; a trajectory contains the segments up
            // to its own branch point (branches) or all of them (the parent).
            var cuts = members.Where(m => m.t.BranchOf is not null).Select(m => m.t.SharedPrefix).Distinct().Order().ToList();
            var segments = members.Select(m => (IReadOnlyList<int>)Enumerable.Range(0, cuts.Count)
                .Where(c => m.t.BranchOf is null || cuts[c] <= m.t.SharedPrefix).ToList()).ToList();
            var shared = ArpoBranching.HardAttribution(segments, members.Select(m => advantages[m.i]).ToList());
            for (var k = 0; k < members.Count; k++)
            {
                var (t, i) = members[k];
                var start = t.PromptLength;
                for (var c = 0; c < cuts.Count; c++)
                {
                    var end = Math.Min(cuts[c], t.BranchOf is null ? t.Tokens.Length : t.SharedPrefix);
                    if (!segments[k].Contains(c)) break;
                    for (var p = start; p < end; p++)
                        if (t.LossMask[p] > 0) tokenAdvantages[i][p] = (float)shared[c];
                    start = Math.Max(start, end);
                }
            }
        }
    }
}
