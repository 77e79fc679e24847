namespace ToolSharp.Evaluation.Policies;

/// <summary>Settings of an OpenAI-compatible endpoint policy (vLLM, SGLang, llama.cpp server, Ollama, OpenAI).</summary>
public sealed record OpenAiPolicyOptions
{
    /// <summary>Base URLs including the version path (e.g. <c>http://gpu1:8000/v1</c>); several are load-balanced.</summary>
    public required IReadOnlyList<Uri> BaseUrls { get; init; }

    public required string Model { get; init; }

    /// <summary>Sent as a bearer token when set; with none, no Authorization header is sent.</summary>
    public string? ApiKey { get; init; }

    /// <summary>Requests in flight at once across all base URLs.</summary>
    public int MaxConcurrency { get; init; } = 8;

    public RetryOptions Retry { get; init; } = new();

    /// <summary>When set, prompt mode renders the conversation with it and calls <c>/completions</c> instead of <c>/chat/completions</c>.</summary>
    public IPromptRenderer? CompletionsRenderer { get; init; }
}
