namespace ToolSharp.Environments.Episodes;

/// <summary>Why an episode stopped (stored and reported by its wire name, see <see cref="EpisodeEndings.WireName"/>).</summary>
public enum EpisodeEnding
{
    /// <summary>The model answered the last user turn without calling a tool.</summary>
    Answered,

    /// <summary>The episode used all its assistant turns (the calls of the last one still ran).</summary>
    MaxTurns,

    /// <summary>A call went past the tool-call budget: it was refused and the episode ended.</summary>
    ToolBudget,

    /// <summary>The environment's per-user-turn response limit was reached while the model was still calling tools.</summary>
    TurnLimit,

    /// <summary>The model's turn was cut by the token limit of a turn; its calls did not run.</summary>
    MaxTokens,

    /// <summary>The conversation no longer fits the model's context (prompt, tool results and generation).</summary>
    ContextFull,

    /// <summary>The environment stopped the episode itself (BFCL: more steps in one turn than it allows, "force-terminated").</summary>
    StepLimit,
}

/// <summary>Wire names of <see cref="EpisodeEnding"/>, as results stores and reports spell them.</summary>
public static class EpisodeEndings
{
    public static string WireName(this EpisodeEnding ending) => ending switch
    {
        EpisodeEnding.Answered => "answer",
        EpisodeEnding.MaxTurns => "max_turns",
        EpisodeEnding.ToolBudget => "tool_budget",
        EpisodeEnding.TurnLimit => "turn_limit",
        EpisodeEnding.MaxTokens => "max_tokens",
        EpisodeEnding.ContextFull => "context_full",
        EpisodeEnding.StepLimit => "step_limit",
        _ => throw new ArgumentOutOfRangeException(nameof(ending), ending, null),
    };
}
