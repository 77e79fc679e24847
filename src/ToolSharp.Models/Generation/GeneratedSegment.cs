namespace ToolSharp.Models.Generation;

/// <summary>What one generation call produced for one sequence: token ids (token-in/token-out, never re-tokenised),
/// the log-prob of each under the sampling distribution, the distribution's entropy at each step, and why it stopped.</summary>
public sealed record GeneratedSegment(int Sequence, int[] Tokens, float[] LogProbs, float[] Entropies, StopReason StopReason);
