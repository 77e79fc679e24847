using System.Text.Json;
using ToolSharp.Core.Tools;

namespace ToolSharp.Training.Rewards;

/// <summary>ToolRL's reward for function-call tasks: a format reward plus a graded correctness reward.</summary>
/// <remarks>
/// From "ToolRL: Reward is All Tool Learning Needs" (Qian et al., 2025), following its released code:
/// <list type="bullet">
/// <item>Format: <see cref="FormatMax"/> when the output parsed cleanly (calls well-formed), else 0.</item>
/// <item>Correctness, when the calls differ from the ground truth: score = name-match + Σ over ground-truth calls of the
/// best unused same-name predicted call's (parameter-key match + number of exactly equal values); each match is a
/// frequency-aware Jaccard |A∩B| / (|A| + |B| − |A∩B|). The maximum is 1 + Σ (1 + |params|). The score is scaled
/// linearly from [0, max] to [<see cref="CorrectMin"/>, <see cref="CorrectMax"/>] (−3 to 3); an exact match gets the
/// maximum directly, and unparseable output gets the minimum.</item>
/// </list>
/// </remarks>
public static class ToolRlReward
{
    public const double FormatMax = 1.0;
    public const double CorrectMax = 3.0;
    public const double CorrectMin = -3.0;

    /// <summary>Frequency-aware Jaccard overlap of two lists (1 when equal, 0 when either is empty and they differ).</summary>
    public static double MatchScore(IReadOnlyList<string> a, IReadOnlyList<string> b)
    {
        if (a.SequenceEqual(b)) return 1.0;
        if (a.Count == 0 || b.Count == 0) return 0.0;
        var ca = a.GroupBy(x => x).ToDictionary(g => g.Key, g => g.Count());
        var cb = b.GroupBy(x => x).ToDictionary(g => g.Key, g => g.Count());
        var intersection = ca.Keys.Intersect(cb.Keys).Sum(k => Math.Min(ca[k], cb[k]));
        var union = a.Count + b.Count - intersection;
        return union > 0 ? (double)intersection / union : 0.0;
    }

    /// <summary>The correctness reward in [CorrectMin, CorrectMax]; null <paramref name="predicted"/> means the output could not be parsed.</summary>
    public static double Correctness(IReadOnlyList<ToolCall> groundTruth, IReadOnlyList<ToolCall>? predicted)
    {
        if (predicted is null) return CorrectMin;
        if (SameCalls(groundTruth, predicted)) return CorrectMax;

        var score = MatchScore(groundTruth.Select(c => c.Name).ToList(), predicted.Select(c => c.Name).ToList());
        var maxScore = 1.0;
        var used = new HashSet<int>();
        foreach (var gt in groundTruth)
        {
            var gtParams = Members(gt.Arguments);
            maxScore += 1.0 + gtParams.Count;
            var best = 0.0;
            var bestIndex = -1;
            for (var i = 0; i < predicted.Count; i++)
            {
                if (used.Contains(i) || predicted[i].Name != gt.Name) continue;
                var pdParams = Members(predicted[i].Arguments);
                var keyScore = MatchScore(gtParams.Keys.ToList(), pdParams.Keys.ToList());
                var valueScore = gtParams.Count(p => pdParams.TryGetValue(p.Key, out var v) && JsonElement.DeepEquals(v, p.Value));
                var total = keyScore + valueScore;
                if (total > best)
                {
                    best = total;
                    bestIndex = i;
                }
            }
            if (bestIndex >= 0)
            {
                used.Add(bestIndex);
                score += best;
            }
        }
        return (CorrectMax - CorrectMin) * score / maxScore + CorrectMin;
    }

    /// <summary>Format reward plus correctness reward (range [−3, 4]).</summary>
    public static double Total(IReadOnlyList<ToolCall> groundTruth, IReadOnlyList<ToolCall>? predicted, bool formatOk) =>
        (formatOk ? FormatMax : 0.0) + Correctness(groundTruth, predicted);

    private static bool SameCalls(IReadOnlyList<ToolCall> a, IReadOnlyList<ToolCall> b) =>
        a.Count == b.Count && a.Zip(b).All(p => p.First.Name == p.Second.Name && JsonElement.DeepEquals(p.First.Arguments, p.Second.Arguments));

    private static Dictionary<string, JsonElement> Members(JsonElement args) =>
        args.ValueKind == JsonValueKind.Object ? args.EnumerateObject().ToDictionary(p => p.Name, p => p.Value) : [];
}
