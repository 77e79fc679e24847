using ToolSharp.Tensors.Kernels.Simd;
using System.Runtime.Intrinsics;

namespace ToolSharp.Tensors.Kernels;

/// <summary>The GEMM in C#: used when OpenBLAS is absent or not chosen, for every shape the models produce.</summary>
/// <remarks>
/// Most products run <see cref="PackedGemm{TLanes, TVector}"/> (packed, cache-blocked, register-tiled) at the widest
/// vector width the CPU has; products with a handful of rows against a transposed operand (decoding through a linear
/// layer) run <see cref="DotGemm{TLanes, TVector}"/>, which does not pack. Both are deterministic: the result of a
/// call depends on its shape and operands, not on the thread count.
/// </remarks>
public static unsafe class ManagedGemm
{
    /// <summary>At most this many rows of A take the dot-product path when B is transposed.</summary>
    internal const int DotRows = 8;

    /// <summary>Products below this many multiply-adds (a few microseconds of work) run on the calling thread: waking a
    /// worker costs more than it saves.</summary>
    internal const long ParallelWork = 256 * 1024;

    /// <summary>Row-major C = alpha·op(A)·op(B) + beta·C, on the engine's threads unless <paramref name="parallel"/> is false.</summary>
    /// <param name="lda">Distance between consecutive rows of A as stored (k × m when <paramref name="transA"/>, else m × k).</param>
    public static void Run(bool transA, bool transB, int m, int n, int k, float alpha,
        ReadOnlySpan<float> a, int lda, ReadOnlySpan<float> b, int ldb, float beta, Span<float> c, int ldc, bool parallel = true) =>
        Run(transA, transB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc, GemmSimdSupport.Best, parallel ? EngineThreads.Count : 1);

    /// <summary>As <see cref="Run(bool, bool, int, int, int, float, ReadOnlySpan{float}, int, ReadOnlySpan{float}, int, float, Span{float}, int, bool)"/>
    /// at a chosen vector width and thread count (tests force every path).</summary>
    internal static void Run(bool transA, bool transB, int m, int n, int k, float alpha,
        ReadOnlySpan<float> a, int lda, ReadOnlySpan<float> b, int ldb, float beta, Span<float> c, int ldc, GemmSimd simd, int threads)
    {
        if (m < 0 || n < 0 || k < 0) throw new ArgumentException($"GEMM: negative size m={m} n={n} k={k}");
        if (m == 0 || n == 0) return;
        CheckOperand("A", a.Length, transA ? k : m, transA ? m : k, lda);
        CheckOperand("B", b.Length, transB ? n : k, transB ? k : n, ldb);
        CheckOperand("C", c.Length, m, n, ldc);
        if (!GemmSimdSupport.IsSupported(simd)) throw new ArgumentException($"GEMM: {simd} is not supported on this CPU");
        if (k == 0 || alpha == 0f)
        {
            for (var i = 0; i < m; i++) Scale(c.Slice(i * ldc, n), beta);
            return;
        }
        if ((long)m * n * k < ParallelWork) threads = 1;
        fixed (float* pa = a)
        fixed (float* pb = b)
        fixed (float* pc = c)
        {
            if (transB && !transA && m <= DotRows)
            {
                switch (simd)
                {
                    case GemmSimd.Vector512: DotGemm<Lanes512, Vector512<float>>.Run(m, n, k, alpha, pa, lda, pb, ldb, beta, pc, ldc, threads); break;
                    case GemmSimd.Vector256: DotGemm<Lanes256, Vector256<float>>.Run(m, n, k, alpha, pa, lda, pb, ldb, beta, pc, ldc, threads); break;
                    case GemmSimd.Vector128: DotGemm<Lanes128, Vector128<float>>.Run(m, n, k, alpha, pa, lda, pb, ldb, beta, pc, ldc, threads); break;
                    default: DotGemm<LanesScalar, float>.Run(m, n, k, alpha, pa, lda, pb, ldb, beta, pc, ldc, threads); break;
                }
                return;
            }
            switch (simd)
            {
                case GemmSimd.Vector512: PackedGemm<Lanes512, Vector512<float>>.Run(transA, transB, m, n, k, alpha, pa, lda, pb, ldb, beta, pc, ldc, threads); break;
                case GemmSimd.Vector256: PackedGemm<Lanes256, Vector256<float>>.Run(transA, transB, m, n, k, alpha, pa, lda, pb, ldb, beta, pc, ldc, threads); break;
                case GemmSimd.Vector128: PackedGemm<Lanes128, Vector128<float>>.Run(transA, transB, m, n, k, alpha, pa, lda, pb, ldb, beta, pc, ldc, threads); break;
                default: PackedGemm<LanesScalar, float>.Run(transA, transB, m, n, k, alpha, pa, lda, pb, ldb, beta, pc, ldc, threads); break;
            }
        }
    }

    /// <summary>A stored rows × cols operand with leading dimension ld must fit its span.</summary>
    private static void CheckOperand(string name, int length, int rows, int cols, int ld)
    {
        if (rows == 0 || cols == 0) return;
        if (ld < cols) throw new ArgumentException($"GEMM: leading dimension of {name} is {ld}, expected at least {cols}");
        var needed = (long)(rows - 1) * ld + cols;
        if (length < needed) throw new ArgumentException($"GEMM: {name} ({rows} × {cols}, leading dimension {ld}) needs {needed} values, found {length}");
    }

    private static void Scale(Span<float> x, float beta)
    {
        if (beta == 0) x.Clear();
        else if (beta != 1) System.Numerics.Tensors.TensorPrimitives.Multiply(x, beta, x);
    }
}
