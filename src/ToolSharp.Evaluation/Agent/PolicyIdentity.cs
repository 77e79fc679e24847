namespace ToolSharp.Evaluation.Agent;

/// <summary>What a policy is, for manifests and configuration hashes: kind, model name, endpoint(s) or checkpoint hash, template hash.</summary>
/// <param name="Kind"><c>openai</c>, <c>builtin</c>, <c>chat-client</c>, <c>scripted</c>, …</param>
/// <param name="Model">The model name (endpoint) or checkpoint directory (built-in).</param>
/// <param name="Endpoint">Base URL(s), comma-separated, for endpoint policies.</param>
/// <param name="WeightsHash">SHA-256 of the checkpoint files, for in-process models.</param>
/// <param name="TemplateHash">Hash of the chat template or prompt renderer used in prompt mode, when the policy owns one.</param>
public sealed record PolicyIdentity(string Kind, string Model, string? Endpoint = null, string? WeightsHash = null, string? TemplateHash = null)
{
    /// <summary>The label used in tables, e.g. <c>openai:qwen3-8b</c>.</summary>
    public string Label => $"{Kind}:{Model}";
}
