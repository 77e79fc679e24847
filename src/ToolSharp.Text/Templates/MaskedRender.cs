namespace ToolSharp.Text.Templates;

/// <summary>A conversation rendered to token ids with a loss mask (1 on assistant-generated tokens, 0 elsewhere).</summary>
/// <param name="Tokens">The ids, built turn by turn from prefix renders (token-in/token-out order).</param>
/// <param name="Mask">Per token: 1 when the assistant generated it (its content, calls and end-of-turn marker), else 0.</param>
/// <param name="Drift">How the turn-by-turn render differs from re-rendering and re-tokenizing the whole conversation; <see cref="TemplateDrift.None"/> when identical.</param>
public sealed record MaskedRender(int[] Tokens, float[] Mask, TemplateDrift Drift)
{
    /// <summary>Per message, the index of its first token (an assistant message's span starts with its generation
    /// prompt); one more entry for where the final generation prompt starts (the end when there is none).</summary>
    public int[] MessageStarts { get; init; } = [];

    /// <summary>Number of tokens with mask 1.</summary>
    public int TrainedTokenCount => Mask.Count(m => m > 0);
}

/// <summary>Where turn-by-turn rendering stops agreeing with the full render (the multi-turn drift that silently corrupts RL).</summary>
/// <param name="MessageIndex">The first message whose prefix render does not extend the previous one, or null when the texts agree.</param>
/// <param name="TextPosition">Character offset in the full render where the texts first differ, or null.</param>
/// <param name="TokenPosition">First token index where the turn-by-turn ids differ from tokenizing the full render, or null.</param>
/// <param name="Description">One line: what differs, where, expected vs. found.</param>
public sealed record TemplateDrift(int? MessageIndex, int? TextPosition, int? TokenPosition, string Description)
{
    public static TemplateDrift None { get; } = new(null, null, null, "no drift: turn-by-turn tokens equal the full re-tokenization");

    public bool HasDrift => TokenPosition is not null || MessageIndex is not null;
}
