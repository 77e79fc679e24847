using ToolSharp.Inference.Rollouts;
using ToolSharp.Training.Samples;

namespace ToolSharp.Training.Tests.Support;

/// <summary>Hand-built samples for the pure stages' tests: a prompt of two tokens followed by generated ones.</summary>
public static class Fake
{
    public static Sample Sample(double reward = 0, int length = 6, bool correct = false, bool[]? callFailed = null, string prompt = "p", int index = 0,
        int? branchOf = null, int sharedPrefix = 0, float[]? entropies = null, bool[]? postTool = null, double advantage = 0) => new()
    {
        PromptId = prompt,
        GroupIndex = index,
        PromptLength = 2,
        Tokens = new int[length],
        LossMask = Enumerable.Range(0, length).Select(t => t < 2 ? 0f : 1f).ToArray(),
        OldLogProbs = new float[length],
        Entropies = entropies ?? new float[length],
        PostTool = postTool ?? new bool[length],
        Correct = correct,
        CallFailed = callFailed ?? [],
        BranchOf = branchOf,
        SharedPrefix = sharedPrefix,
        Reward = reward,
        Advantage = advantage,
    };

    /// <summary>A sample of a re-rendered rollout: one segment per length, each a prompt of two tokens then generated
    /// ones; tokens are numbered so segments differ.</summary>
    public static Sample Segmented(double reward = 0, int index = 0, double advantage = 0, params int[] lengths)
    {
        var starts = lengths.Select((_, k) => lengths.Take(k).Sum()).ToArray();
        var length = lengths.Sum();
        return Sample(reward, length, index: index, advantage: advantage) with
        {
            Tokens = Enumerable.Range(0, length).Select(t => 1 + t % 50).ToArray(),
            LossMask = Enumerable.Range(0, length).Select(t => t - starts.Last(s => s <= t) < 2 ? 0f : 1f).ToArray(),
            Segments = lengths.Select((n, k) => new RolloutSegment(starts[k], n, 2)).ToList(),
        };
    }
}
