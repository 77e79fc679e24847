using ToolSharp.Inference.Rollouts;

namespace ToolSharp.Training.Samples;

/// <summary>One rollout on its way through an RL step: the exact tokens with their loss mask, sampling log-probs,
/// entropies and post-tool flags, the facts the filters read, and what the stages add — reward, group advantage,
/// per-token advantages, clip exemption.</summary>
/// <remarks>
/// <para>Immutable: each stage (reward → advantages → selection → shaping → loss) returns new samples, so every stage
/// is a pure function that can be tested on its own. Per-token arrays have the same length as <see cref="Tokens"/>.</para>
/// <para>A rollout whose prompt was re-rendered between turns (packed construction, a history policy other than keep)
/// is still one sample: its per-token arrays are its <see cref="Segments"/> one after another. So the stages that are
/// per rollout — reward, group advantages, selection, DAPO's group filter — see each rollout once whatever its segment
/// count, the per-token stages (shaping, the aggregation weights) see all its sampled tokens, and only the updater,
/// which scores token sequences, splits a sample into its segments (<see cref="Sequences"/>). The alternative, one
/// sample per segment keyed to its rollout, would make every per-rollout stage group segments back into rollouts.</para>
/// </remarks>
public sealed record Sample
{
    public required string PromptId { get; init; }

    /// <summary>The rollout's index in its prompt's group.</summary>
    public required int GroupIndex { get; init; }

    /// <summary>The first segment's prompt length.</summary>
    public required int PromptLength { get; init; }

    /// <summary>The sequences the model was fed, one after another (one segment: prompt and everything after it).</summary>
    public required int[] Tokens { get; init; }

    /// <summary>1 on tokens the policy sampled, 0 on prompt, tool-result and user tokens.</summary>
    public required float[] LossMask { get; init; }

    /// <summary>Log-probs of the sampled tokens at sampling time.</summary>
    public required float[] OldLogProbs { get; init; }

    /// <summary>Entropies of the sampling distribution at the sampled tokens.</summary>
    public required float[] Entropies { get; init; }

    /// <summary>True on tokens of an assistant turn that directly follows a tool result.</summary>
    public required bool[] PostTool { get; init; }

    /// <summary>Did the episode's scorer count it correct (the filter's and accuracy's notion of solved)?</summary>
    public required bool Correct { get; init; }

    /// <summary>Whether each tool call failed, in order (malformed calls included).</summary>
    public required IReadOnlyList<bool> CallFailed { get; init; }

    /// <summary>The stretches of <see cref="Tokens"/> fed to the model as one sequence each; null when the whole arrays are one.</summary>
    public IReadOnlyList<RolloutSegment>? Segments { get; init; }

    /// <summary>The sequences the updater scores: <see cref="Segments"/>, or the whole arrays as one.</summary>
    public IReadOnlyList<RolloutSegment> Sequences => Segments ?? [new RolloutSegment(0, Tokens.Length, PromptLength)];

    /// <summary>ARPO: the group index of the rollout this one branched from (null for global samples).</summary>
    public int? BranchOf { get; init; }

    /// <summary>ARPO: how many leading tokens this sample shares with its parent (0 for global samples).</summary>
    public int SharedPrefix { get; init; }

    /// <summary>The reward trained on (the environment's, or OTC's / ToolRL's, plus any format bonus).</summary>
    public double Reward { get; init; }

    /// <summary>The outcome advantage within the prompt's group (computed over the whole group, before selection).</summary>
    public double Advantage { get; init; }

    /// <summary>Per token: the advantage each token is trained with (0 off the loss mask); null until shaping.</summary>
    public float[]? TokenAdvantages { get; init; }

    /// <summary>Per token: true where PPO's clip does not apply (TAO-RL's post-tool tokens, when asked); null for none.</summary>
    public bool[]? ClipExempt { get; init; }

    public int ToolCalls => CallFailed.Count;

    /// <summary>Tokens the policy generated.</summary>
    public int GeneratedTokens => (int)LossMask.Sum();

    /// <summary>The sample of a finished rollout with its reward.</summary>
    public static Sample From(Rollout rollout, double reward)
    {
        return new Sample
        {
            PromptId = rollout.Task.Id,
            GroupIndex = rollout.GroupIndex,
            PromptLength = rollout.PromptLength,
            Segments = rollout.Segments,
            Tokens = rollout.Tokens,
            LossMask = rollout.LossMask,
            OldLogProbs = rollout.LogProbs,
            Entropies = rollout.Entropies,
            PostTool = rollout.PostTool,
            Correct = rollout.Score.Correct,
            CallFailed = rollout.Driver.Episode.ToolCalls.Select(c => !c.Succeeded).ToList(),
            BranchOf = rollout.BranchOf,
            SharedPrefix = rollout.SharedPrefix,
            Reward = reward,
        };
    }
}
