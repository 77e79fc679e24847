namespace ToolSharp.Serving.Completions;

/// <summary>What one sampled token adds to a streamed reply: visible text (possibly empty while text is held back) and its log-probs when asked for.</summary>
public sealed record StreamPiece(string Content, TokenLogProbs? LogProbs);
