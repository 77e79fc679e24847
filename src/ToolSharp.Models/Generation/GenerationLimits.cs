namespace ToolSharp.Models.Generation;

/// <summary>When a generation call stops a sequence: stop tokens, stop token sequences, a token budget, a length cap.</summary>
/// <param name="MaxNewTokens">Tokens generated per sequence in this call at most.</param>
/// <param name="StopTokens">Ids that end the turn (end-of-turn, or a tool-call closing token); the stop token is kept.</param>
/// <param name="StopSequences">Token-id sequences that end the turn when they appear at the end of this call's output.</param>
/// <param name="MaxTotalLength">Stop before a sequence (prompt included) would exceed this many tokens.</param>
public sealed record GenerationLimits(int MaxNewTokens, IReadOnlySet<int>? StopTokens = null, IReadOnlyList<int[]>? StopSequences = null, int MaxTotalLength = int.MaxValue);

/// <summary>Why a sequence stopped in a generation call.</summary>
public enum StopReason
{
    StopToken,
    StopSequence,
    MaxNewTokens,
    MaxLength,
}
