using ToolSharp.Core.Formats;
using ToolSharp.Core.History;
using ToolSharp.Environments.Episodes;
using ToolSharp.Models.Generation;

namespace ToolSharp.Inference.Rollouts;

/// <summary>How a batch of rollouts runs: the episode's system prompt and limits, what the model sees, decoding, token
/// limits, batching and optional tree sampling. Evaluation and RL validation use the same settings for the same run.</summary>
public sealed record RolloutSettings
{
    /// <summary>Sequences generated together by default: evaluation and RL validation batch alike, so they compute alike.</summary>
    public const int DefaultMaxSequences = 32;

    /// <summary>The system prompt; null for the environment's default, "" for none.</summary>
    public string? Instructions { get; init; }

    /// <summary>Turn and tool-call limits; null for the environment's limits for each task.</summary>
    public EpisodeLimits? Limits { get; init; }

    /// <summary>History policy and multi-turn construction. Anything but keep + native re-renders the prompt each
    /// turn (a rollout then records one <see cref="RolloutSegment"/> per stretch the model was fed as one sequence).</summary>
    public ConversationView View { get; init; } = ConversationView.Default;

    /// <summary>Prompt mode: tools described in the system prompt in this format and calls parsed from the text; null for the renderer's own format.</summary>
    public ToolCallFormat? PromptFormat { get; init; }

    public SamplingOptions Sampling { get; init; } = SamplingOptions.Greedy;

    /// <summary>Tokens sampled per assistant turn; a turn cut here ends the episode (<see cref="EpisodeEnding.MaxTokens"/>).</summary>
    public int MaxNewTokensPerTurn { get; init; } = 96;

    /// <summary>Cap on a rollout's whole length (prompt, tool results, generation): past it the episode ends (<see cref="EpisodeEnding.ContextFull"/>).</summary>
    public int MaxTotalTokens { get; init; } = 768;

    /// <summary>Sequences generated together; requests (kept whole) beyond it wait for the next wave.</summary>
    public int MaxSequences { get; init; } = DefaultMaxSequences;

    /// <summary>ARPO tree sampling; null samples every rollout from the prompt.</summary>
    public BranchingOptions? Branching { get; init; }

    /// <summary>True when the model sees the transcript as it is, so a rollout only ever appends tokens.</summary>
    public bool AppendOnly => PromptFormat is null && View.Construction == MultiTurnConstruction.Native && View.Policy is KeepAllPolicy;
}
