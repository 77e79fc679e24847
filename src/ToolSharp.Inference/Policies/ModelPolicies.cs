using ToolSharp.Core.Errors;
using ToolSharp.Evaluation.Agent;
using ToolSharp.Evaluation.Policies;
using ToolSharp.Inference.Rendering;

namespace ToolSharp.Inference.Policies;

/// <summary>Creates the backend for any model spec: endpoints through <see cref="PolicyFactory"/>, built-in checkpoints on the engine.</summary>
public static class ModelPolicies
{
    /// <inheritdoc cref="PolicyFactory.Create"/>
    /// <param name="status">Receives a built-in model's status lines (see <see cref="BuiltinModelBackend.OnStatus"/>).</param>
    public static IModelBackend Create(string spec, string? apiKey = null, int concurrency = 8, RetryOptions? retry = null, Action<string>? status = null)
    {
        var parsed = ModelSpec.Parse(spec);
        if (parsed.Kind != "builtin") return PolicyFactory.Create(spec, apiKey, concurrency, retry);
        return Directory.Exists(parsed.CheckpointPath)
            ? BuiltinModelBackend.Load(parsed.CheckpointPath!, ChatTemplateOptions.Parse(parsed.Options, $"model '{spec}'"), status)
            : throw new ToolSharpException($"model '{spec}': checkpoint directory not found: {parsed.CheckpointPath}");
    }
}
