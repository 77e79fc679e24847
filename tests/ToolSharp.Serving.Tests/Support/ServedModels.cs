using ToolSharp.Core.Json;
using ToolSharp.Core.Messages;
using ToolSharp.Core.Tools;
using ToolSharp.Inference.Rendering;
using ToolSharp.Models;
using ToolSharp.Models.Configuration;
using ToolSharp.Models.Generation;
using ToolSharp.Models.Training;
using ToolSharp.Tensors.Kernels;
using ToolSharp.Testing;
using ToolSharp.Text.Builtin;

namespace ToolSharp.Serving.Tests.Support;

/// <summary>Two micro models saved as checkpoints, each behind an in-process server on a free loopback port: one
/// randomly initialised, one fine-tuned briefly to answer "What is A+B?" with a calculator call and then the result.</summary>
public sealed class ServedModels : IAsyncLifetime
{
    public static readonly TransformerConfig Config = ModelPresets.Tiny(BuiltinTokenizer.Size) with
    {
        HiddenSize = 64, NumLayers = 2, NumHeads = 2, NumKvHeads = 1, HeadDim = 32, IntermediateSize = 128,
    };

    public static readonly ToolSpec Calculator = new("calculator", "Evaluate an arithmetic expression.",
        JsonValues.Parse("""{"type":"object","properties":{"expression":{"type":"string"}},"required":["expression"]}"""));

    private readonly TempDirectory _dir = new();

    public string RandomDirectory => Path.Combine(_dir.Path, "random");

    public string WarmedDirectory => Path.Combine(_dir.Path, "warmed");

    public ServedModel Random { get; private set; } = null!;

    public ServedModel Warmed { get; private set; } = null!;

    public OpenAiServer RandomServer { get; private set; } = null!;

    public OpenAiServer WarmedServer { get; private set; } = null!;

    /// <summary>The conversations the warmed model learned: a question, its calculator call, the result, the answer.</summary>
    public static IEnumerable<Conversation> Lessons() =>
        Enumerable.Range(0, 12).Select(i =>
        {
            var (a, b) = (i % 4 + 1, i / 4 + 2);
            var call = ToolCall.FromJson("calculator", $$"""{"expression": "{{a}}+{{b}}"}""", "call_1");
            return new Conversation(
            [
                Message.User($"What is {a}+{b}?"),
                Message.Assistant(null, [call]),
                Message.Tool("call_1", "calculator", $"{a + b}"),
                Message.Assistant($"Answer: {a + b}"),
            ], [Calculator]);
        });

    public async Task InitializeAsync()
    {
        EngineThreads.Set(1);
        Transformer.Create(Config, 3).Save(RandomDirectory);
        var model = Transformer.Create(Config, 3);
        var data = Lessons().Select(BuiltinRolloutRenderer.Instance.Demonstration).ToList();
        new SftTrainer(model, data, new SftOptions(Steps: 80, BatchTokens: 1024, LearningRate: 1e-2f, WarmupSteps: 5, WeightDecay: 0f, Seed: 3)).Run();
        model.Save(WarmedDirectory);
        foreach (var dir in new[] { RandomDirectory, WarmedDirectory })
            File.WriteAllText(Path.Combine(dir, Inference.Policies.GenerationDefaults.FileName), new Inference.Policies.GenerationDefaults(96, 512).ToJson());
        Random = ServedModel.Load(RandomDirectory);
        Warmed = ServedModel.Load("builtin:" + WarmedDirectory);
        RandomServer = await OpenAiServer.StartAsync(Random, new ServerOptions(Port: 0));
        WarmedServer = await OpenAiServer.StartAsync(Warmed, new ServerOptions(Port: 0));
    }

    public async Task DisposeAsync()
    {
        await RandomServer.DisposeAsync();
        await WarmedServer.DisposeAsync();
        Random.Dispose();
        Warmed.Dispose();
        _dir.Dispose();
    }

    /// <summary>A server whose batcher is stepped by hand, so tests decide when anything runs.</summary>
    public async Task<(ServedModel Model, OpenAiServer Server)> Manual(int maxBatch, int maxQueue)
    {
        var model = ServedModel.Load(RandomDirectory, new BatcherOptions(maxBatch, maxQueue, Autostart: false));
        return (model, await OpenAiServer.StartAsync(model, new ServerOptions(Port: 0)));
    }
}
