using ToolSharp.Core.Formats;
using ToolSharp.Core.History;
using ToolSharp.Environments.Episodes;

namespace ToolSharp.Evaluation.Agent;

/// <summary>How one episode is run: system prompt, what the model sees of the history, call format, decoding, limits.</summary>
public sealed record AgentSettings
{
    /// <summary>The system prompt; null for the environment's default, "" for none.</summary>
    public string? Instructions { get; init; }

    /// <summary>History policy and multi-turn construction applied before every model turn.</summary>
    public ConversationView View { get; init; } = ConversationView.Default;

    /// <summary>Null for native tool calling; a format for prompt mode.</summary>
    public ToolCallFormat? Format { get; init; }

    public SamplingParameters Sampling { get; init; } = SamplingParameters.Default;

    /// <summary>Turn and tool-call limits; null for the environment's limits for the task (<see cref="IEnvironment.Limits"/>).</summary>
    public EpisodeLimits? Limits { get; init; }
}
