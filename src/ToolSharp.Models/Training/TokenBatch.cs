namespace ToolSharp.Models.Training;

/// <summary>Sequences of token ids to score, with which target tokens need a log-prob.</summary>
/// <remarks>
/// Target index t (1 ≤ t &lt; length) means "log p(tokens[t] | tokens[..t])". Only targets with a non-zero
/// <see cref="Scored"/> flag are computed (the language-model head runs on those rows only), which for RL is the
/// policy's own tokens and for SFT the assistant tokens. Sequences are packed back to back, so padding costs nothing.
/// </remarks>
public sealed class TokenBatch
{
    public TokenBatch(IReadOnlyList<int[]> tokens, IReadOnlyList<bool[]> scored)
    {
        if (tokens.Count != scored.Count) throw new ArgumentException($"{tokens.Count} sequences but {scored.Count} score masks");
        for (var s = 0; s < tokens.Count; s++)
        {
            if (tokens[s].Length != scored[s].Length)
                throw new ArgumentException($"sequence {s}: {tokens[s].Length} tokens but a score mask of {scored[s].Length}");
            if (tokens[s].Length > 0 && scored[s][0]) throw new ArgumentException($"sequence {s}: the first token has no prefix to predict it from");
        }
        Tokens = tokens;
        Scored = scored;
    }

    /// <summary>A batch that scores every token after the first.</summary>
    public static TokenBatch ScoreAll(IReadOnlyList<int[]> tokens) =>
        new(tokens, tokens.Select(t => t.Select((_, i) => i > 0).ToArray()).ToArray());

    /// <summary>A batch scoring the tokens whose mask value is positive (e.g. an SFT loss mask).</summary>
    public static TokenBatch FromMasks(IReadOnlyList<int[]> tokens, IReadOnlyList<float[]> masks) =>
        new(tokens, masks.Select(m => m.Select((x, i) => i > 0 && x > 0).ToArray()).ToArray());

    public IReadOnlyList<int[]> Tokens { get; }

    public IReadOnlyList<bool[]> Scored { get; }

    public int TotalTokens => Tokens.Sum(t => t.Length);
}
