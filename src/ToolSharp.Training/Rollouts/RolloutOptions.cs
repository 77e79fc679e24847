using ToolSharp.Models.Generation;

namespace ToolSharp.Training.Rollouts;

/// <summary>Limits and sampling of multi-turn rollouts.</summary>
/// <param name="MaxTurns">Assistant turns per rollout.</param>
/// <param name="MaxNewTokensPerTurn">Tokens sampled per assistant turn.</param>
/// <param name="MaxTotalTokens">Cap on a rollout's total length (prompt, tool results and generation).</param>
/// <param name="MaxToolCalls">Tool calls per rollout (the episode's budget).</param>
/// <param name="Sampling">Temperature / top-k / top-p for training rollouts.</param>
public sealed record RolloutOptions(
    int MaxTurns = 4,
    int MaxNewTokensPerTurn = 96,
    int MaxTotalTokens = 768,
    int MaxToolCalls = 4,
    SamplingOptions? Sampling = null)
{
    [System.Text.Json.Serialization.JsonIgnore]
    public SamplingOptions SamplingOrDefault => Sampling ?? new SamplingOptions(Temperature: 1f);
}
