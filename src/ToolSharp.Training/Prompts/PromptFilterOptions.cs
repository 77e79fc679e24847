namespace ToolSharp.Training.Prompts;

/// <summary>Settings of the online pre-rollout prompt filter.</summary>
/// <param name="SolvedStreakToSkip">k: a prompt whose rollouts were all correct in k consecutive epochs is skipped (1 or 2 in practice).</param>
/// <param name="SkipUnsolved">Also skip prompts whose rollouts were all wrong k consecutive times (off by default).</param>
/// <param name="UnsolvedRetryProbability">Chance that a skipped all-wrong prompt is tried again anyway in an epoch.</param>
/// <param name="RecheckEvery">Roll a skipped prompt out again after this many consecutive skipped epochs, to catch forgetting (0 = never, the default).</param>
public sealed record PromptFilterOptions(int SolvedStreakToSkip = 1, bool SkipUnsolved = false, double UnsolvedRetryProbability = 0.1, int RecheckEvery = 0)
{
    public static PromptFilterOptions Default { get; } = new();
}
