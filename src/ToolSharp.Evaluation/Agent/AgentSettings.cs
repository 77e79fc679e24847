using ToolSharp.Core.Formats;
using ToolSharp.Core.History;

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

    /// <summary>Assistant turns allowed in the whole episode (each model request is one turn).</summary>
    public int MaxTurns { get; init; } = 8;

    /// <summary>Tool calls allowed per episode (failed and malformed calls count).</summary>
    public int MaxToolCalls { get; init; } = 16;
}
