namespace ToolSharp.Environments.Episodes;

/// <summary>What follows an assistant turn.</summary>
public enum TurnNext
{
    /// <summary>Tool results were appended; the model takes another turn.</summary>
    ToolResults,

    /// <summary>The next user message was appended; the model answers it.</summary>
    UserTurn,

    /// <summary>The episode is over (see <see cref="EpisodeDriver.Ending"/>).</summary>
    Finished,
}
