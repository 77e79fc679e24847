using ToolSharp.Environments.Episodes;

namespace ToolSharp.Inference.Rollouts;

/// <summary>One finished rollout: the episode (driver: transcript, ending, calls, score), its turns and the exact tokens
/// the model saw and produced, segment by segment, with per-token sampling data.</summary>
/// <remarks>
/// <see cref="Tokens"/> is the rollout's <see cref="Segments"/> one after another, each exactly as fed to the model
/// (token-in/token-out); for an append-only rollout that is one segment, prompt + everything after it. Per-token
/// arrays have the same length: <see cref="LossMask"/> is 1 on tokens the policy sampled and 0 on prompt, tool-result
/// and user tokens; <see cref="LogProbs"/> and <see cref="Entropies"/> are the sampling distribution's values at sampled
/// tokens; <see cref="PostTool"/> marks tokens of an assistant turn that directly follows a tool result (TAO-RL, ARPO).
/// </remarks>
public sealed class Rollout
{
    public required EnvironmentTask Task { get; init; }
    public required int GroupIndex { get; init; }
    public required EpisodeDriver Driver { get; init; }
    public required EpisodeScore Score { get; init; }
    public required IReadOnlyList<RolloutTurn> Turns { get; init; }
    /// <summary>True when the whole rollout is one token-in/token-out sequence (one segment); false when the view
    /// re-rendered a prompt that did not extend the sequence so far. Either way the segments are a training record.</summary>
    public bool TokenLevel => Segments.Count == 1;

    /// <summary>The stretches of <see cref="Tokens"/> fed to the model as one sequence each, in order; they cover the arrays.</summary>
    public required IReadOnlyList<RolloutSegment> Segments { get; init; }

    /// <summary>The first segment's prompt length (the prompt the request's rollouts share).</summary>
    public required int PromptLength { get; init; }
    public required int[] Tokens { get; init; }
    public required float[] LossMask { get; init; }
    public required float[] LogProbs { get; init; }
    public required float[] Entropies { get; init; }
    public required bool[] PostTool { get; init; }
    /// <summary>ARPO: the group index of the rollout this one branched from (null for global samples).</summary>
    public int? BranchOf { get; init; }
    /// <summary>ARPO: how many leading tokens this branch shares with its parent (0 for global samples).</summary>
    public int SharedPrefix { get; init; }

    public EpisodeEnding Ending => Driver.Ending!.Value;

    /// <summary>Tool calls made, malformed ones included.</summary>
    public int ToolCalls => Driver.Episode.ToolCalls.Count;

    public int FailedToolCalls => Driver.Episode.ToolCalls.FailedCount;

    public bool Correct => Score.Correct;

    /// <summary>Tokens the policy generated (loss mask 1).</summary>
    public int GeneratedTokens => (int)LossMask.Sum();

    /// <summary>Did every turn parse cleanly (no unreadable tool-call text)?</summary>
    public bool WellFormed => Driver.MalformedCalls == 0;
}
