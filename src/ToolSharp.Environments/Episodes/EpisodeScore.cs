namespace ToolSharp.Environments.Episodes;

/// <summary>How an episode went: a reward in [0, 1], whether it counts as correct, and expected vs. got for reports.</summary>
/// <param name="Reward">1 for a fully correct episode, 0 for a wrong one, in between for partial credit (stateful tasks).</param>
/// <param name="Correct">True when the episode fully solved the task.</param>
/// <param name="Expected">The reference answer or state, as people read it.</param>
/// <param name="Got">What the agent produced (the extracted answer or the final state); null when nothing could be extracted.</param>
/// <param name="Details">Why it was scored this way (e.g. a BFCL error type, or which saved values were wrong).</param>
public sealed record EpisodeScore(double Reward, bool Correct, string Expected, string? Got, string Details = "")
{
    /// <summary>An all-or-nothing score.</summary>
    public static EpisodeScore Binary(bool correct, string expected, string? got, string details = "") =>
        new(correct ? 1.0 : 0.0, correct, expected, got, details);
}
