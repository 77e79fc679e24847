using ToolSharp.Core.Errors;
using ToolSharp.Evaluation.Agent;

namespace ToolSharp.Evaluation.Policies;

/// <summary>Creates a policy from a model spec (<see cref="ModelSpec.Syntax"/>).</summary>
public static class PolicyFactory
{
    /// <param name="spec">The model spec.</param>
    /// <param name="apiKey">Bearer token for endpoints; null sends none.</param>
    /// <param name="concurrency">Requests in flight at once (endpoints).</param>
    /// <param name="retry">Retry settings (endpoints); null for the defaults.</param>
    public static IPolicy Create(string spec, string? apiKey = null, int concurrency = 8, RetryOptions? retry = null)
    {
        var parsed = ModelSpec.Parse(spec);
        return parsed.Kind switch
        {
            "openai" => new OpenAiPolicy(new OpenAiPolicyOptions
            {
                BaseUrls = parsed.BaseUrls,
                Model = parsed.Model,
                ApiKey = apiKey,
                MaxConcurrency = concurrency,
                Retry = retry ?? new RetryOptions(),
            }),
            "builtin" => Directory.Exists(parsed.CheckpointPath)
                ? BuiltinModelPolicy.Load(parsed.CheckpointPath!)
                : throw new ToolSharpException($"model '{spec}': checkpoint directory not found: {parsed.CheckpointPath}"),
            _ => throw new ToolSharpException($"model '{spec}': expected {ModelSpec.Syntax}"),
        };
    }
}
