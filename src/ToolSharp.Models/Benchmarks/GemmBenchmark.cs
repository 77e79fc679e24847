using System.Diagnostics;
using ToolSharp.Core.Randomness;
using ToolSharp.Tensors.Kernels;
using ToolSharp.Tensors.Native;

namespace ToolSharp.Models.Benchmarks;

/// <summary>Times GEMM shapes on the managed kernels and on OpenBLAS in the same run, alternating between them so both
/// see the same machine load.</summary>
public static unsafe class GemmBenchmark
{
    /// <summary>Each timed batch repeats the product until it lasts at least this long.</summary>
    private const double BatchSeconds = 0.004;

    /// <summary>Times <paramref name="shape"/> at <paramref name="threads"/> threads: the best of <paramref name="batches"/>
    /// alternating batches per backend, after a warm-up call of each.</summary>
    /// <remarks>The best batch, not the median: on a shared machine the fastest batch is the least disturbed one, for
    /// both backends alike.</remarks>
    public static GemmTiming Measure(GemmShape shape, int threads, bool withOpenBlas, int batches = 7)
    {
        EngineThreads.Set(threads);
        withOpenBlas &= OpenBlas.IsAvailable;
        var (la, lb, lc) = shape.Lengths;
        var rng = new SeededRandom((ulong)(shape.M * 31 + shape.N * 7 + shape.K));
        var a = Random(rng, la);
        var b = Random(rng, lb);
        var c = Random(rng, lc);
        fixed (float* pa = a)
        fixed (float* pb = b)
        fixed (float* pc = c)
        {
            nint xa = (nint)pa, xb = (nint)pb, xc = (nint)pc;
            var len = (int)lc;
            void Managed() => ManagedGemm.Run(shape.TransA, shape.TransB, shape.M, shape.N, shape.K, 1f,
                new ReadOnlySpan<float>((float*)xa, (int)la), shape.Lda, new ReadOnlySpan<float>((float*)xb, (int)lb), shape.Ldb,
                shape.Beta, new Span<float>((float*)xc, len), shape.Ldc, parallel: !shape.SingleThreaded);
            void Blas()
            {
                // OpenBLAS runs its own threads; a single-threaded shape gets one, as the engine would give it.
                if (shape.SingleThreaded) OpenBlas.SetThreadCount(1);
                OpenBlas.Gemm(shape.TransA, shape.TransB, shape.M, shape.N, shape.K, 1f, (float*)xa, shape.Lda, (float*)xb, shape.Ldb, shape.Beta, (float*)xc, shape.Ldc);
                if (shape.SingleThreaded) OpenBlas.SetThreadCount(threads);
            }
            var managedReps = Calibrate(Managed);
            var blasReps = withOpenBlas ? Calibrate(Blas) : 0;
            var managed = new List<double>();
            var blas = new List<double>();
            for (var i = 0; i < batches; i++)
            {
                managed.Add(Time(Managed, managedReps));
                if (withOpenBlas) blas.Add(Time(Blas, blasReps));
            }
            return new GemmTiming(shape, threads, managed.Min(), withOpenBlas ? blas.Min() : null);
        }
    }

    /// <summary>Repetitions that make one batch last about <see cref="BatchSeconds"/> (after a warm-up call).</summary>
    private static int Calibrate(Action product)
    {
        product();
        var once = Time(product, 1);
        return (int)Math.Clamp(BatchSeconds / Math.Max(once, 1e-7), 1, 100_000);
    }

    /// <summary>Seconds per product over <paramref name="reps"/> back-to-back calls.</summary>
    private static double Time(Action product, int reps)
    {
        var watch = Stopwatch.StartNew();
        for (var r = 0; r < reps; r++) product();
        return watch.Elapsed.TotalSeconds / reps;
    }

    private static float[] Random(SeededRandom rng, long length)
    {
        var x = new float[length];
        for (var i = 0; i < x.Length; i++) x[i] = (float)rng.NextGaussian();
        return x;
    }
}
