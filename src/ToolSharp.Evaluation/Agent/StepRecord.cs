using ToolSharp.Environments.Episodes;

namespace ToolSharp.Evaluation.Agent;

/// <summary>One assistant turn of an episode: tokens, what the model wrote, the calls and their results, timings.</summary>
public sealed record StepRecord
{
    public int Turn { get; init; }

    /// <summary>Prompt tokens as the backend counted them, or an estimate (characters / 4) when it did not.</summary>
    public int PromptTokens { get; init; }

    public int CompletionTokens { get; init; }

    /// <summary>True when token counts are estimates rather than the backend's own numbers.</summary>
    public bool TokensEstimated { get; init; }

    /// <summary>True when this prompt extends the previous prompt plus the previous reply, so a server can reuse its KV cache.</summary>
    public bool PrefixReused { get; init; }

    /// <summary>Prompt tokens the server reported as served from its cache, when it reports them.</summary>
    public int? CachedPromptTokens { get; init; }

    /// <summary>The assistant text (raw generation in prompt mode, content otherwise).</summary>
    public string? Text { get; init; }

    public IReadOnlyList<CallOutcome> Calls { get; init; } = [];

    public string? FinishReason { get; init; }

    public double ModelMilliseconds { get; init; }

    public double ToolMilliseconds { get; init; }

    public int Attempts { get; init; } = 1;

    public string? Endpoint { get; init; }
}
