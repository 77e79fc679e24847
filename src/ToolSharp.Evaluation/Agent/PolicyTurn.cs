using ToolSharp.Core.Messages;
using ToolSharp.Core.Tools;

namespace ToolSharp.Evaluation.Agent;

/// <summary>One assistant turn as a policy produced it: the message (calls parsed), parse errors, token counts where the
/// backend knows them, and how the request went (latency, attempts, finish reason).</summary>
public sealed record PolicyTurn
{
    /// <summary>The assistant message: content, reasoning and every call that could be read.</summary>
    public required Message Message { get; init; }

    /// <summary>Calls the model wrote that could not be read or validated (prompt mode); scored data, never an exception.</summary>
    public IReadOnlyList<ToolCallError> ParseErrors { get; init; } = [];

    /// <summary>The generated text as it came back (prompt mode), or null when the backend returned structured calls only.</summary>
    public string? RawText { get; init; }

    /// <summary>Tokens of the rendered prompt, when the backend reports or computes them.</summary>
    public int? PromptTokens { get; init; }

    /// <summary>Prompt tokens the backend served from its prefix cache, when it reports them.</summary>
    public int? CachedPromptTokens { get; init; }

    /// <summary>Generated tokens, when known.</summary>
    public int? CompletionTokens { get; init; }

    /// <summary>Why generation stopped (<c>stop</c>, <c>tool_calls</c>, <c>length</c>, …), as the backend says it.</summary>
    public string? FinishReason { get; init; }

    /// <summary>Wall-clock time of the request, retries included.</summary>
    public TimeSpan Latency { get; init; }

    /// <summary>Requests sent for this turn (1 = no retry).</summary>
    public int Attempts { get; init; } = 1;

    /// <summary>Which server answered (load-balanced endpoints), when relevant.</summary>
    public string? Endpoint { get; init; }

    /// <summary>The server's build fingerprint (OpenAI <c>system_fingerprint</c>), when it sends one.</summary>
    public string? SystemFingerprint { get; init; }
}
