using ToolSharp.Core.Messages;
using ToolSharp.Models;
using ToolSharp.Models.Configuration;
using ToolSharp.Models.Training;
using ToolSharp.Tensors.Kernels;
using ToolSharp.Testing;
using ToolSharp.Text.Builtin;
using ToolSharp.Inference.Rendering;

namespace ToolSharp.Training.Tests.Support;

/// <summary>A micro policy fine-tuned once on a few hand-written conversations and saved, so tiny RL runs sample groups
/// that mix the behaviours a method reacts to; each test loads a fresh copy.</summary>
public abstract class WarmedMicroModel : IDisposable
{
    public static readonly TransformerConfig Config = ModelPresets.Tiny(BuiltinTokenizer.Size) with
    {
        HiddenSize = 64, NumLayers = 2, NumHeads = 2, NumKvHeads = 1, HeadDim = 32, IntermediateSize = 128,
    };

    private readonly TempDirectory _dir = new();

    /// <summary>Supervised steps on <paramref name="conversations"/> (one thread, seed 3), then saves the model.</summary>
    protected void Train(IEnumerable<Conversation> conversations, int steps, int batchTokens)
    {
        EngineThreads.Set(1);
        var model = Transformer.Create(Config, 3);
        var data = conversations.Select(BuiltinRolloutRenderer.Instance.Demonstration).ToList();
        new SftTrainer(model, data, new SftOptions(Steps: steps, BatchTokens: batchTokens, LearningRate: 1e-2f, WarmupSteps: 5, WeightDecay: 0f, Seed: 3)).Run();
        model.Save(_dir.Path);
    }

    public Transformer Load() => Transformer.Load(_dir.Path);

    public void Dispose()
    {
        _dir.Dispose();
        GC.SuppressFinalize(this);
    }
}
