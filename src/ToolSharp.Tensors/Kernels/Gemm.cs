using ToolSharp.Tensors.Native;

namespace ToolSharp.Tensors.Kernels;

/// <summary>Which GEMM implementation runs.</summary>
public enum GemmBackend
{
    /// <summary>OpenBLAS when loaded, else managed.</summary>
    Auto,
    /// <summary>Always the managed SIMD kernel.</summary>
    Managed,
}

/// <summary>Row-major single-precision GEMM: C = alpha·op(A)·op(B) + beta·C, on OpenBLAS or the managed kernel.</summary>
public static unsafe class Gemm
{
    /// <summary>Products below this many multiply-adds skip BLAS call overhead and threads.</summary>
    private const long SmallWork = 16 * 1024;

    public static GemmBackend Backend { get; set; } = GemmBackend.Auto;

    /// <summary>The backend that will actually run large products.</summary>
    public static string ActiveBackendName => Backend == GemmBackend.Auto && OpenBlas.IsAvailable ? $"openblas ({OpenBlas.LibraryPath})" : "managed";

    public static void Run(bool transA, bool transB, int m, int n, int k, float alpha,
        ReadOnlySpan<float> a, int lda, ReadOnlySpan<float> b, int ldb, float beta, Span<float> c, int ldc)
    {
        if (m == 0 || n == 0) return;
        var work = (long)m * n * k;
        if (Backend == GemmBackend.Auto && OpenBlas.IsAvailable && work >= SmallWork && k > 0)
        {
            fixed (float* pa = a)
            fixed (float* pb = b)
            fixed (float* pc = c)
            {
                OpenBlas.Gemm(transA, transB, m, n, k, alpha, pa, lda, pb, ldb, beta, pc, ldc);
            }
            return;
        }
        ManagedGemm.Run(transA, transB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc, parallel: work >= SmallWork);
    }
}
