using ToolSharp.Core.Errors;
using ToolSharp.Evaluation.Agent;

namespace ToolSharp.Evaluation.Policies;

/// <summary>Creates an endpoint policy from an <c>openai:</c> model spec (<see cref="ModelSpec.Syntax"/>); built-in
/// models are created one layer up, by <c>ToolSharp.Inference.Policies.ModelPolicies</c>, which runs the engine.</summary>
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
            _ => throw new ToolSharpException($"model '{spec}': this factory creates endpoint policies only (openai:…); built-in models are created by ModelPolicies"),
        };
    }
}
