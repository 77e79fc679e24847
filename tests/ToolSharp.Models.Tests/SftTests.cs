using ToolSharp.Models.Checkpoints;
using ToolSharp.Models.Configuration;
using ToolSharp.Models.Training;
using ToolSharp.Tensors.Memory;
using ToolSharp.Testing;

namespace ToolSharp.Models.Tests;

public class SftTests
{
    private static List<SftExample> Dataset()
    {
        // 6 "conversations": a prompt part (mask 0) and an answer part (mask 1) that depends on the prompt.
        var data = new List<SftExample>();
        for (var i = 0; i < 6; i++)
        {
            int[] prompt = [1, 2 + i, 3];
            int[] answer = [10 + i, 20 + (i * 7) % 11, 30 + i, 39];
            data.Add(new SftExample([.. prompt, .. answer], [.. prompt.Select(_ => 0f), .. answer.Select(_ => 1f)]));
        }
        return data;
    }

    [Fact]
    public void A_tiny_model_memorises_a_small_dataset()
    {
        var model = Transformer.Create(TestModels.Micro(), 1);
        var trainer = new SftTrainer(model, Dataset(), new SftOptions(Steps: 150, BatchTokens: 64, LearningRate: 1e-2f, WarmupSteps: 10, WeightDecay: 0f));
        SftProgress? last = null;
        trainer.Run(new Progress(p => last = p));
        last!.Loss.ShouldBeLessThan(0.05);
    }

    [Fact]
    public void Resume_from_a_checkpoint_is_bit_identical()
    {
        using var dir = new TempDirectory();
        var options = new SftOptions(Steps: 12, BatchTokens: 24, LearningRate: 5e-3f, WarmupSteps: 3);

        var straight = new SftTrainer(Transformer.Create(TestModels.Micro(), 7), Dataset(), options);
        straight.Run();

        var first = new SftTrainer(Transformer.Create(TestModels.Micro(), 7), Dataset(), options);
        var store = new CheckpointStore(dir.Path);
        for (var i = 0; i < 5; i++) first.TrainStep();
        var checkpoint = first.SaveCheckpoint(store);

        // a fresh process: different initial weights, state restored from disk
        var resumed = new SftTrainer(Transformer.Create(TestModels.Micro(), 999), Dataset(), options);
        resumed.Resume(checkpoint);
        resumed.Step.ShouldBe(5);
        resumed.Run();

        foreach (var ((name, a), (_, b)) in straight.Model.NamedParameters().Zip(resumed.Model.NamedParameters()))
            b.ToArray().ShouldBe(a.ToArray(), name);
    }

    [Fact]
    public void Gradients_of_long_packed_sequences_match_finite_differences()
    {
        // Long sequences exercise rotary positions far from 0 and attention over many keys; two sequences are packed.
        var model = TestModels.Randomised(TestModels.Micro(Architecture.Qwen3), 5);
        var rng = new Core.Randomness.SeededRandom(9);
        var sequences = new[] { 170, 90 }.Select(n => Enumerable.Range(0, n).Select(_ => rng.Next(40)).ToArray()).ToList();
        var masks = sequences.Select(s => s.Select((_, t) => t >= s.Length - 4 ? 1f : 0f).ToArray()).ToList();
        var batch = TokenBatch.FromMasks(sequences, masks);
        double Objective()
        {
            using var scope = new TensorScope();
            using var noGrad = Tensors.Autograd.Tape.NoGrad();
            return model.Score(batch).LogProbs.Sum(r => r.Sum(x => (double)x));
        }
        using (new TensorScope())
        using (new Tensors.Autograd.Tape())
        {
            foreach (var p in model.Parameters) p.ZeroGrad();
            var s = model.Score(batch);
            s.Backward(s.LogProbs.Select(r => r.Select(_ => 1f).ToArray()).ToArray());
        }
        var probe = model.NamedParameters().Where(p => p.Name.Contains("self_attn.q_proj") || p.Name.Contains("self_attn.k_proj") || p.Name.Contains("k_norm")).ToList();
        foreach (var part in new[] { "self_attn.q_proj", "self_attn.k_proj", "k_norm" })
            probe.ShouldContain(p => p.Name.Contains(part), $"no parameter named *{part}* to probe");
        CheckAgainstFiniteDifferences(probe, Objective, samples: 5);
    }

    [Fact]
    public void Whole_model_gradient_matches_finite_differences()
    {
        var model = TestModels.Randomised(TestModels.Micro(Architecture.Qwen2, tied: false), 11);
        int[] tokens = [1, 4, 9, 16, 25, 36];
        double Objective()
        {
            using var scope = new TensorScope();
            var s = model.Score(TokenBatch.ScoreAll([tokens]));
            return s.LogProbs[0].Sum(x => (double)x) + 0.5 * s.Entropies[0].Sum(x => (double)x);
        }
        var probe = model.NamedParameters().Where(p => p.Name.Contains("layers.0.self_attn.k_proj") || p.Name.Contains("layers.1.mlp.down") || p.Name == "model.norm.weight").ToList();
        foreach (var part in new[] { "layers.0.self_attn.k_proj", "layers.1.mlp.down", "model.norm.weight" })
            probe.ShouldContain(p => p.Name.Contains(part), $"no parameter named *{part}* to probe");
        using (new TensorScope())
        using (var tape = new Tensors.Autograd.Tape())
        {
            foreach (var p in model.Parameters) p.ZeroGrad();
            var s = model.Score(TokenBatch.ScoreAll([tokens]));
            s.Backward(s.LogProbs.Select(r => r.Select((_, i) => i > 0 ? 1f : 0f).ToArray()).ToArray(),
                       s.Entropies.Select(r => r.Select((_, i) => i > 0 ? 0.5f : 0f).ToArray()).ToArray());
        }
        CheckAgainstFiniteDifferences(probe, Objective, samples: 7);
    }

    /// <summary>Compares each probed parameter's gradient, at a few entries, with a central difference of the objective.</summary>
    private static void CheckAgainstFiniteDifferences(IEnumerable<(string Name, Tensors.Tensor Tensor)> probe, Func<double> objective, int samples)
    {
        foreach (var (name, t) in probe)
        {
            for (var i = 0; i < t.Length; i += Math.Max(1, t.Length / samples))
            {
                var original = t.Span[i];
                const float h = 1e-2f;
                t.Span[i] = original + h;
                var plus = objective();
                t.Span[i] = original - h;
                var minus = objective();
                t.Span[i] = original;
                var numeric = (plus - minus) / (2 * h);
                Math.Abs(t.Grad[i] - numeric).ShouldBeLessThan(3e-3 + 3e-2 * Math.Abs(numeric), $"{name}[{i}]");
            }
        }
    }

    private sealed class Progress(Action<SftProgress> report) : IProgress<SftProgress>
    {
        public void Report(SftProgress value) => report(value);
    }
}
