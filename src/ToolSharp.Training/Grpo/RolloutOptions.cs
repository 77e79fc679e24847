using ToolSharp.Core.Errors;
using ToolSharp.Core.Formats;
using ToolSharp.Core.History;
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
/// <param name="History">The history policy, named as <c>toolsharp eval --history</c> names it (<see cref="HistoryPolicies.Syntax"/>).</param>
/// <param name="Construction">The multi-turn construction, as <c>toolsharp eval --template</c>: native or packed.</param>
/// <remarks>Training rollouts and validation see the conversation through the same <see cref="View"/>, the one
/// <c>toolsharp eval --history H --template C</c> builds, so what RL trains and validates on is what eval scores.
/// Anything but keep + native re-renders the prompt each turn; rollouts are then trained segment by segment.</remarks>
public sealed record RolloutOptions(
    int? MaxTurns = null,
    int MaxNewTokensPerTurn = 96,
    int MaxTotalTokens = 768,
    int? MaxToolCalls = null,
    SamplingOptions? Sampling = null,
    string History = "keep",
    MultiTurnConstruction Construction = MultiTurnConstruction.Native)
{
    /// <summary>What the model is shown each turn (packed transcripts write calls in Hermes syntax, as eval's native format does).</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public ConversationView View
    {
        get
        {
            IHistoryPolicy policy;
            try { policy = HistoryPolicies.Parse(History); }
            catch (ToolSharpException e) { throw new ToolSharpException($"rl.rollout.history: {e.Message}"); }
            return new ConversationView(policy, Construction, ToolCallFormats.Hermes);
        }
    }

    [System.Text.Json.Serialization.JsonIgnore]
    public SamplingOptions SamplingOrDefault => Sampling ?? new SamplingOptions(Temperature: 1f);

    /// <summary>The rollout worker's settings for these options: training samples with <see cref="SamplingOrDefault"/>;
    /// validation is greedy and batched like <c>toolsharp eval</c> of a built-in model.</summary>
    public RolloutSettings Settings(string? instructions, bool validation, BranchingOptions? branching = null) => new()
    {
        Instructions = instructions,
        View = View,
        Limits = MaxTurns is null && MaxToolCalls is null ? null : EpisodeLimits.Default.Override(MaxTurns, MaxToolCalls),
        Sampling = validation ? SamplingOptions.Greedy : SamplingOrDefault,
        MaxNewTokensPerTurn = MaxNewTokensPerTurn,
        MaxTotalTokens = MaxTotalTokens,
        MaxSequences = validation ? RolloutSettings.DefaultMaxSequences : int.MaxValue,
        Branching = validation ? null : branching,
    };
}
