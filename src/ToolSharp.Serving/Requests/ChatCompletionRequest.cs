using ToolSharp.Core.Messages;

namespace ToolSharp.Serving.Requests;

/// <summary>A validated <c>/v1/chat/completions</c> request.</summary>
public sealed record ChatCompletionRequest
{
    public required string Model { get; init; }

    /// <summary>The messages and the request's tools (all of them, whatever <see cref="ToolChoice"/> says).</summary>
    public required Conversation Conversation { get; init; }

    public ToolChoiceMode ToolChoice { get; init; } = ToolChoiceMode.Auto;

    /// <summary>The function <see cref="ToolChoiceMode.Function"/> names.</summary>
    public string? ToolChoiceName { get; init; }

    /// <summary>False keeps only the first call of a turn.</summary>
    public bool ParallelToolCalls { get; init; } = true;

    public bool Stream { get; init; }

    /// <summary><c>stream_options.include_usage</c>: a last chunk with the usage.</summary>
    public bool StreamUsage { get; init; }

    public bool LogProbs { get; init; }

    /// <summary>Alternatives per token, 0–20 (needs <see cref="LogProbs"/>).</summary>
    public int TopLogProbs { get; init; }

    public ulong? Seed { get; init; }

    /// <summary><c>max_completion_tokens</c> or <c>max_tokens</c>; null for the model's default.</summary>
    public int? MaxTokens { get; init; }

    /// <summary>0–2; null for 1 (OpenAI's default). 0 is greedy.</summary>
    public float? Temperature { get; init; }

    public float? TopP { get; init; }

    /// <summary>Up to four strings that end the reply when generated (cut from the returned text).</summary>
    public IReadOnlyList<string> Stop { get; init; } = [];
}
