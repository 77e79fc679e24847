using ToolSharp.Models.Training;
using ToolSharp.Tensors.Autograd;
using ToolSharp.Tensors.Kernels;
using ToolSharp.Tensors.Memory;

namespace ToolSharp.Models.Tests;

/// <summary>Multi-threaded kernels must not change results from run to run (resume and seeds depend on it).</summary>
[Collection("EngineThreads")]
public class DeterminismTests
{
    [Fact]
    public void Two_threads_give_bit_identical_gradients_run_to_run()
    {
        var before = EngineThreads.Count;
        EngineThreads.Set(2);
        try
        {
            var config = Configuration.ModelPresets.Tiny(288);
            var first = Gradients(config);
            for (var run = 0; run < 3; run++)
            {
                var again = Gradients(config);
                var differing = first.Where(kv => !kv.Value.AsSpan().SequenceEqual(again[kv.Key])).Select(kv => kv.Key).ToList();
                differing.ShouldBeEmpty($"gradients differ on run {run + 2}");
            }
        }
        finally
        {
            EngineThreads.Set(before);
        }
    }

    private static Dictionary<string, float[]> Gradients(Configuration.TransformerConfig config)
    {
        var model = Transformer.Create(config, 3);
        var rng = new Core.Randomness.SeededRandom(5);
        var sequences = Enumerable.Range(0, 24).Select(i => Enumerable.Range(0, 120 + 7 * i).Select(_ => rng.Next(config.VocabSize)).ToArray()).ToList();
        var masks = sequences.Select(s => s.Select((_, t) => t > 3 ? 1f : 0f).ToArray()).ToList();
        using (new TensorScope())
        using (new Tape())
        {
            var batch = TokenBatch.FromMasks(sequences, masks);
            var scores = model.Score(batch);
            foreach (var p in model.Parameters) p.ZeroGrad();
            scores.Backward(batch.Scored.Select(m => m.Select(b => b ? 0.01f : 0f).ToArray()).ToArray(), batch.Scored.Select(m => m.Select(b => b ? 0.003f : 0f).ToArray()).ToArray());
        }
        return model.NamedParameters().ToDictionary(p => p.Name, p => p.Tensor.Grad.ToArray());
    }
}
