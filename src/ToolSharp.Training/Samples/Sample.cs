using ToolSharp.Inference.Rollouts;

namespace ToolSharp.Training.Samples;

/// <summary>One rollout on its way through an RL step: the exact tokens with their loss mask, sampling log-probs,
/// entropies and post-tool flags, the facts the filters read, and what the stages add — reward, group advantage,
/// per-token advantages, clip exemption.</summary>
/// <remarks>Immutable: each stage (reward → advantages → selection → shaping → loss) returns new samples, so every stage
/// is a pure function that can be tested on its own. Per-token arrays have the same length as <see cref="Tokens"/>.</remarks>
public sealed record Sample
{
    public required string PromptId { get; init; }

    /// <summary>The rollout's index in its prompt's group.</summary>
    public required int GroupIndex { get; init; }

    public required int PromptLength { get; init; }

    /// <summary>Prompt and everything after it, exactly as fed to the model.</summary>
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
        if (!rollout.TokenLevel)
            throw new InvalidOperationException($"rollout of {rollout.Task.Id}: its prompt was re-rendered between turns (history policy or construction other than keep + native), so it has no token-level record to train on");
        return new Sample
        {
            PromptId = rollout.Task.Id,
            GroupIndex = rollout.GroupIndex,
            PromptLength = rollout.PromptLength,
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
