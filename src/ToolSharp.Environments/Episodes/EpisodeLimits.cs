namespace ToolSharp.Environments.Episodes;

/// <summary>How long an episode may run: assistant turns in the whole episode and tool calls (failed and malformed ones count).</summary>
/// <remarks>
/// Evaluation and RL take the same limits from the same place — the caller's explicit setting, else the environment's
/// <see cref="IEnvironment.Limits"/> for the task, else <see cref="Default"/> — so what RL validates is what
/// <c>toolsharp eval</c> scores.
/// </remarks>
/// <param name="MaxTurns">Assistant turns allowed in the whole episode, over all user turns.</param>
/// <param name="MaxToolCalls">Tool calls allowed in the whole episode; a call past it is refused and ends the episode.</param>
public sealed record EpisodeLimits(int MaxTurns = 8, int MaxToolCalls = 16)
{
    public static EpisodeLimits Default { get; } = new();

    /// <summary>These limits with any of <paramref name="maxTurns"/>, <paramref name="maxToolCalls"/> that are set taking precedence.</summary>
    public EpisodeLimits Override(int? maxTurns, int? maxToolCalls) =>
        new(maxTurns ?? MaxTurns, maxToolCalls ?? MaxToolCalls);
}
