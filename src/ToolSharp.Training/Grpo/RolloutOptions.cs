using ToolSharp.Environments.Episodes;
using ToolSharp.Inference.Rollouts;
using ToolSharp.Models.Generation;

namespace ToolSharp.Training.Grpo;

/// <summary>Limits and sampling of RL's multi-turn rollouts (<c>rl.rollout</c>).</summary>
/// <param name="MaxTurns">Assistant turns per rollout; null for the environment's limit for the task (as <c>toolsharp eval</c>).</param>
/// <param name="MaxNewTokensPerTurn">Tokens sampled per assistant turn.</param>
/// <param name="MaxTotalTokens">Cap on a rollout's total length (prompt, tool results and generation).</param>
/// <param name="MaxToolCalls">Tool calls per rollout; null for the environment's limit for the task.</param>
/// <param name="Sampling">Temperature / top-k / top-p for training rollouts.</param>
public sealed record RolloutOptions(
    int? MaxTurns = null,
    int MaxNewTokensPerTurn = 96,
    int MaxTotalTokens = 768,
    int? MaxToolCalls = null,
    SamplingOptions? Sampling = null)
{
    [System.Text.Json.Serialization.JsonIgnore]
    public SamplingOptions SamplingOrDefault => Sampling ?? new SamplingOptions(Temperature: 1f);

    /// <summary>The rollout worker's settings for these options: training samples with <see cref="SamplingOrDefault"/>;
    /// validation is greedy and batched like <c>toolsharp eval</c> of a built-in model.</summary>
    public RolloutSettings Settings(string? instructions, bool validation, BranchingOptions? branching = null) => new()
    {
        Instructions = instructions,
        Limits = MaxTurns is null && MaxToolCalls is null ? null : EpisodeLimits.Default.Override(MaxTurns, MaxToolCalls),
        Sampling = validation ? SamplingOptions.Greedy : SamplingOrDefault,
        MaxNewTokensPerTurn = MaxNewTokensPerTurn,
        MaxTotalTokens = MaxTotalTokens,
        MaxSequences = validation ? RolloutSettings.DefaultMaxSequences : int.MaxValue,
        Branching = validation ? null : branching,
    };
}
