using ToolSharp.Models.Training;
using ToolSharp.Tensors.Autograd;
using ToolSharp.Tensors.Kernels;
using ToolSharp.Tensors.Memory;
using ToolSharp.Tensors.Native;

namespace ToolSharp.Models.Tests;

/// <summary>Tests that set the process-wide GEMM backend and thread count run alone, so no other test sees the switch.</summary>
[CollectionDefinition(DeterminismTests.Collection, DisableParallelization = true)]
public sealed class EngineSettingsCollection;

/// <summary>Multi-threaded kernels must not change results from run to run (resume and seeds depend on it), on either
/// GEMM backend; the managed kernels do not change them with the thread count either.</summary>
[Collection(Collection)]
public class DeterminismTests
{
    public const string Collection = "EngineSettings";

    [Fact]
    public void Managed_kernels_on_two_threads_give_bit_identical_gradients_run_to_run() => RunToRun(GemmBackend.Managed);

    [OpenBlasFact]
    public void Openblas_on_two_threads_gives_bit_identical_gradients_run_to_run() => RunToRun(GemmBackend.OpenBlas);

    [Fact]
    public void Managed_kernels_give_the_same_gradients_on_one_and_two_threads()
    {
        var config = Configuration.ModelPresets.Tiny(288);
        var one = With(GemmBackend.Managed, 1, () => Gradients(config));
        var two = With(GemmBackend.Managed, 2, () => Gradients(config));
        one.Where(kv => !kv.Value.AsSpan().SequenceEqual(two[kv.Key])).Select(kv => kv.Key).ShouldBeEmpty("gradients differ between 1 and 2 threads");
    }

    private static void RunToRun(GemmBackend backend) => With(backend, 2, () =>
    {
        Gemm.Active.ShouldBe(backend);
        var config = Configuration.ModelPresets.Tiny(288);
        var first = Gradients(config);
        for (var run = 0; run < 3; run++)
        {
            var again = Gradients(config);
            var differing = first.Where(kv => !kv.Value.AsSpan().SequenceEqual(again[kv.Key])).Select(kv => kv.Key).ToList();
            differing.ShouldBeEmpty($"gradients differ on run {run + 2} ({backend})");
        }
        return 0;
    });

    private static T With<T>(GemmBackend backend, int threads, Func<T> body)
    {
        var (beforeBackend, beforeThreads) = (Gemm.Backend, EngineThreads.Count);
        try
        {
            Gemm.Backend = backend;
            EngineThreads.Set(threads);
            return body();
        }
        finally
        {
            Gemm.Backend = beforeBackend;
            EngineThreads.Set(beforeThreads);
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

    /// <summary>A fact that needs OpenBLAS; reported as skipped, with the reason, when it does not load.</summary>
    private sealed class OpenBlasFactAttribute : FactAttribute
    {
        public OpenBlasFactAttribute()
        {
            if (!OpenBlas.IsAvailable) Skip = "OpenBLAS not found (libopenblas.so.0; Debian package libopenblas0-pthread): the managed kernels are tested without it";
        }
    }
}
