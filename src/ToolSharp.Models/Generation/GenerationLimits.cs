namespace ToolSharp.Models.Generation;

/// <summary>When a generation call stops a sequence: stop tokens, stop token sequences, a token budget, a length cap.</summary>
/// <param name="MaxNewTokens">Tokens generated per sequence in this call at most.</param>
/// <param name="StopTokens">Ids that end the turn (end-of-turn, or a tool-call closing token); the stop token is kept.</param>
/// <param name="StopSequences">Token-id sequences that end the turn when they appear at the end of this call's output.</param>
/// <param name="MaxTotalLength">Stop before a sequence (prompt included) would exceed this many tokens.</param>
public sealed record GenerationLimits(int MaxNewTokens, IReadOnlySet<int>? StopTokens = null, IReadOnlyList<int[]>? StopSequences = null, int MaxTotalLength = int.MaxValue)
{
    /// <summary>Why a sequence stops after its latest token (the last of <paramref name="generated"/>, this call's output),
    /// or null to go on; <paramref name="condition"/> is a caller's own test, ranked before the token budgets.</summary>
    public StopReason? StopAfter(IReadOnlyList<int> generated, int totalLength, Func<IReadOnlyList<int>, bool>? condition = null)
    {
        if (StopTokens?.Contains(generated[^1]) == true) return StopReason.StopToken;
        if (StopSequences?.Any(seq => EndsWith(generated, seq)) == true) return StopReason.StopSequence;
        if (condition?.Invoke(generated) == true) return StopReason.Condition;
        if (generated.Count >= MaxNewTokens) return StopReason.MaxNewTokens;
        if (totalLength >= MaxTotalLength) return StopReason.MaxLength;
        return null;
    }

    private static bool EndsWith(IReadOnlyList<int> tokens, int[] suffix)
    {
        if (suffix.Length == 0 || tokens.Count < suffix.Length) return false;
        for (var i = 0; i < suffix.Length; i++)
            if (tokens[tokens.Count - suffix.Length + i] != suffix[i]) return false;
        return true;
    }
}

/// <summary>Why a sequence stopped in a generation call.</summary>
public enum StopReason
{
    StopToken,
    StopSequence,
    MaxNewTokens,
    MaxLength,
    /// <summary>The caller's own stop condition held (e.g. a stop string in the decoded text).</summary>
    Condition,
}
