using ToolSharp.Core.Errors;
using ToolSharp.Evaluation.Policies;
using ToolSharp.Inference.Policies;
using ToolSharp.Inference.Rendering;
using ToolSharp.Models;
using ToolSharp.Models.Export;
using ToolSharp.Models.Generation;

namespace ToolSharp.Serving;

/// <summary>The model a server answers for: its name, the engine's continuous batcher on it, the chat format that
/// renders prompts and reads calls (<see cref="IRolloutRenderer"/>), and its default limits (generation_config.json).</summary>
public sealed class ServedModel : IDisposable
{
    public ServedModel(string name, Transformer model, IRolloutRenderer renderer, GenerationDefaults defaults, string fingerprint, BatcherOptions? batching = null)
    {
        Name = name;
        Model = model;
        Renderer = renderer;
        Defaults = defaults;
        Fingerprint = fingerprint;
        Batcher = new ContinuousBatcher(model, batching);
        var context = model.Config.MaxPositionEmbeddings;
        MaxTotalTokens = defaults.MaxLength > 0 ? Math.Min(defaults.MaxLength, context) : context;
    }

    /// <summary>Loads <c>builtin:DIR</c> or a bare path: a checkpoint directory, or a training run (its final model, else its
    /// latest checkpoint). A Hugging Face folder is served with its own tokenizer.json and chat template, and
    /// <c>DIR#format=…,thinking=…</c> choose as they do for <c>eval -m builtin:DIR#…</c>.</summary>
    public static ServedModel Load(string spec, BatcherOptions? batching = null)
    {
        var builtin = spec.StartsWith("builtin:", StringComparison.Ordinal) ? spec : "builtin:" + spec;
        if (builtin.Length == "builtin:".Length) throw new ToolSharpException($"model '{spec}': expected builtin:DIR or a run directory");
        // Parsed as `toolsharp eval -m builtin:PATH#OPTIONS` parses it, so the served name and options are eval's.
        var parsed = ModelSpec.Parse(builtin);
        var options = ChatTemplateOptions.Parse(parsed.Options, $"model '{spec}'");
        var directory = RunModel.Resolve(parsed.CheckpointPath!);
        var defaults = GenerationDefaults.Read(directory);
        var model = Transformer.Load(directory);
        // A server renders each request's whole conversation, so a template's turn-by-turn drift does not apply here.
        var renderer = RolloutRenderers.ForModel(directory, model.Config, options);
        return new ServedModel(parsed.Model, model, renderer, defaults, "toolsharp-" + CheckpointHash.Of(directory)[..12], batching);
    }

    /// <summary>The id clients put in <c>model</c>.</summary>
    public string Name { get; }

    /// <summary>The weights the batcher runs (benchmarks drive them directly to show the server's overhead).</summary>
    public Transformer Model { get; }

    public IRolloutRenderer Renderer { get; }

    public GenerationDefaults Defaults { get; }

    /// <summary>The <c>system_fingerprint</c>: the weights' content hash, so clients can tell models apart.</summary>
    public string Fingerprint { get; }

    public ContinuousBatcher Batcher { get; }

    /// <summary>A conversation (prompt and reply) never grows past this many tokens: generation_config.json's max_length, else the context.</summary>
    public int MaxTotalTokens { get; }

    /// <summary>When the server started serving it (Unix seconds), for <c>/v1/models</c>.</summary>
    public long Created { get; } = DateTimeOffset.UtcNow.ToUnixTimeSeconds();

    public void Dispose() => Batcher.Dispose();
}
