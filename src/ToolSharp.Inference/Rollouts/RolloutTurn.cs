using ToolSharp.Environments.Episodes;

namespace ToolSharp.Inference.Rollouts;

/// <summary>One assistant turn of a rollout as evaluation records it: prompt and completion tokens, text, calls.</summary>
/// <param name="PromptTokens">Tokens in context before the turn was generated.</param>
/// <param name="CompletionTokens">Tokens generated in the turn.</param>
/// <param name="PrefilledTokens">Tokens that had to be run through the model before generating (the rest came from the KV cache).</param>
/// <param name="Text">The generated text (stop token removed).</param>
/// <param name="FinishReason"><c>stop</c>, or <c>length</c> when the turn was cut.</param>
/// <param name="Calls">The turn's calls as the driver handled them.</param>
public sealed record RolloutTurn(int PromptTokens, int CompletionTokens, int PrefilledTokens, string Text, string FinishReason, IReadOnlyList<CallOutcome> Calls);
