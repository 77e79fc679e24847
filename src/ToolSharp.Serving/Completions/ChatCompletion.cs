using ToolSharp.Core.Messages;

namespace ToolSharp.Serving.Completions;

/// <summary>A finished reply: the assistant message (content, tool calls with ids), why it ended, token counts and per-token log-probs.</summary>
/// <param name="FinishReason">OpenAI's: <c>stop</c>, <c>length</c> or <c>tool_calls</c>.</param>
/// <param name="PromptTokens">Tokens of the rendered prompt, with any call opening <c>tool_choice</c> forced.</param>
/// <param name="CompletionTokens">Tokens the model sampled.</param>
/// <param name="StreamedContent">The text already sent as content deltas when streaming.</param>
public sealed record ChatCompletion(Message Message, string FinishReason, int PromptTokens, int CompletionTokens, IReadOnlyList<TokenLogProbs>? LogProbs, string StreamedContent);
