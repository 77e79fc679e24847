using ToolSharp.Models.Training;

namespace ToolSharp.Models.Tests;

/// <summary>End-to-end learning checks that need working attention, not just memorisation.</summary>
public class LearningTests
{
    [Fact]
    public void A_small_model_learns_to_copy_random_digits()
    {
        var config = TestModels.Micro() with { HiddenSize = 64, IntermediateSize = 128, NumHeads = 4, NumKvHeads = 2, HeadDim = 16, VocabSize = 16, NumLayers = 2 };
        var rng = new Core.Randomness.SeededRandom(1);
        var data = new List<SftExample>();
        for (var i = 0; i < 2000; i++)
        {
            var digits = Enumerable.Range(0, 5).Select(_ => 2 + rng.Next(10)).ToArray();
            int[] tokens = [1, .. digits, 12, .. digits, 13];
            data.Add(new SftExample(tokens, tokens.Select((_, t) => t > 6 ? 1f : 0f).ToArray()));
        }
        var model = Transformer.Create(config, 2);
        var trainer = new SftTrainer(model, data, new SftOptions(Steps: 300, BatchTokens: 64 * 13, LearningRate: 3e-3f, WarmupSteps: 20, WeightDecay: 0f));
        var losses = new List<double>();
        while (trainer.Step < trainer.Options.Steps) losses.Add(trainer.TrainStep().Loss);
        // chance is ln 10 ≈ 2.3 on five of the six trained tokens; copying drives it towards 0
        losses.TakeLast(20).Average().ShouldBeLessThan(0.3);
    }

    [Fact]
    public void A_small_model_learns_to_copy_after_a_marker_at_a_variable_distance()
    {
        // content-based lookup (find the marker, copy what follows it), the skill tool use needs: copy arguments from
        // the question into the call, copy the tool's result into the answer
        var config = TestModels.Micro() with { HiddenSize = 64, IntermediateSize = 128, NumHeads = 4, NumKvHeads = 2, HeadDim = 16, VocabSize = 16, NumLayers = 2 };
        var rng = new Core.Randomness.SeededRandom(1);
        var data = new List<SftExample>();
        for (var i = 0; i < 4000; i++)
        {
            var digits = Enumerable.Range(0, 3).Select(_ => 2 + rng.Next(10)).ToArray();
            var before = Enumerable.Repeat(14, rng.Next(20)).ToArray();
            var after = Enumerable.Repeat(15, rng.Next(20)).ToArray();
            int[] tokens = [1, .. before, 12, .. digits, .. after, 13, .. digits];
            data.Add(new SftExample(tokens, tokens.Select((_, t) => t >= tokens.Length - 3 ? 1f : 0f).ToArray()));
        }
        var trainer = new SftTrainer(Transformer.Create(config, 2), data, new SftOptions(Steps: 250, BatchTokens: 64 * 30, LearningRate: 3e-3f, WarmupSteps: 20, WeightDecay: 0f));
        var losses = new List<double>();
        while (trainer.Step < trainer.Options.Steps) losses.Add(trainer.TrainStep().Loss);
        losses.TakeLast(20).Average().ShouldBeLessThan(0.1);
    }
}
