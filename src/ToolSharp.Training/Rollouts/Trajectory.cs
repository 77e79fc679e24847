using ToolSharp.Core.Messages;
using ToolSharp.Environments.Episodes;

namespace ToolSharp.Training.Rollouts;

/// <summary>One rollout: the exact tokens the model saw and produced, per-token sampling data, tool use and the reward.</summary>
/// <remarks>
/// <see cref="Tokens"/> is prompt + everything after it, exactly as fed to the model (token-in/token-out). Per-token
/// arrays have the same length: <see cref="LossMask"/> is 1 on tokens the policy sampled and 0 on prompt and tool-result
/// tokens; <see cref="OldLogProbs"/> and <see cref="Entropies"/> are the sampling distribution's values at sampled
/// tokens; <see cref="PostTool"/> marks tokens of an assistant turn that directly follows a tool result (TAO-RL, ARPO).
/// </remarks>
public sealed class Trajectory
{
    public required string PromptId { get; init; }
    public required int GroupIndex { get; init; }
    public required int PromptLength { get; init; }
    public required int[] Tokens { get; init; }
    public required float[] LossMask { get; init; }
    public required float[] OldLogProbs { get; init; }
    public required float[] Entropies { get; init; }
    public required bool[] PostTool { get; init; }
    public required Conversation Transcript { get; init; }
    public required EpisodeScore Score { get; init; }
    public required int ToolCalls { get; init; }
    public required int FailedToolCalls { get; init; }
    public required int Turns { get; init; }
    /// <summary>How the rollout ended: answered, out of turns, out of tool budget, out of tokens.</summary>
    public required string Ending { get; init; }
    /// <summary>Did every turn parse cleanly (no malformed tool-call text)?</summary>
    public required bool WellFormed { get; init; }

    /// <summary>ARPO: the group index of the rollout this one branched from (null for global samples).</summary>
    public int? BranchOf { get; init; }

    /// <summary>ARPO: how many leading tokens this branch shares with its parent (0 for global samples).</summary>
    public int SharedPrefix { get; init; }

    /// <summary>The reward used for training (environment reward, possibly reshaped by the trainer).</summary>
    public double Reward { get; set; }

    public bool Correct => Score.Correct;

    /// <summary>Tokens the policy generated.</summary>
    public int GeneratedTokens => (int)LossMask.Sum();

    /// <summary>True when tools were called and every call failed (TAO-RL's filter).</summary>
    public bool AllToolCallsFailed => ToolCalls > 0 && FailedToolCalls == ToolCalls;
}
