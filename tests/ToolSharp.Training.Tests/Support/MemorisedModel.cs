using ToolSharp.Environments.Episodes;
using ToolSharp.Inference.Rendering;
using ToolSharp.Models;
using ToolSharp.Models.Configuration;
using ToolSharp.Models.Training;
using ToolSharp.Text.Builtin;

namespace ToolSharp.Training.Tests.Support;

/// <summary>A micro model fine-tuned until it has memorised one demonstration (train task 0), so its rollouts reach a
/// tool result: the first turn writes the demonstration's call.</summary>
public static class MemorisedModel
{
    public static Transformer Create(IEnvironment environment)
    {
        var renderer = BuiltinRolloutRenderer.Instance;
        var demo = renderer.Demonstration(((IDemonstrationSource)environment).Demonstration(environment.GetTask("train", 0), ""));
        var model = Transformer.Create(ModelPresets.Tiny(BuiltinTokenizer.Size) with { HiddenSize = 64, NumLayers = 2, NumHeads = 2, NumKvHeads = 1, HeadDim = 32, IntermediateSize = 128 }, 3);
        new SftTrainer(model, [demo], new SftOptions(Steps: 60, BatchTokens: 1024, LearningRate: 1e-2f, WarmupSteps: 5, WeightDecay: 0f)).Run();
        return model;
    }
}
