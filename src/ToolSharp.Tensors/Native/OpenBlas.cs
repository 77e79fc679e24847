using System.Runtime.InteropServices;

namespace ToolSharp.Tensors.Native;

/// <summary>OpenBLAS loaded at run time with <see cref="NativeLibrary"/>, when the machine has it (Debian: libopenblas0-pthread).</summary>
/// <remarks>
/// Loading is optional: without the library every GEMM runs on the managed SIMD kernel, which is always tested.
/// Set <c>TOOLSHARP_BLAS=managed</c> to force the managed kernel, or <c>TOOLSHARP_BLAS=/path/libopenblas.so</c> to pick a file.
/// </remarks>
public static unsafe class OpenBlas
{
    private const int RowMajor = 101;
    private const int NoTrans = 111;
    private const int Trans = 112;

    private static readonly delegate* unmanaged[Cdecl]<int, int, int, int, int, int, float, float*, int, float*, int, float, float*, int, void> Sgemm;
    private static readonly delegate* unmanaged[Cdecl]<int, void> SetThreads;

    static OpenBlas()
    {
        var choice = Environment.GetEnvironmentVariable("TOOLSHARP_BLAS");
        if (string.Equals(choice, "managed", StringComparison.OrdinalIgnoreCase)) return;
        LimitSpinning();
        string[] candidates = string.IsNullOrEmpty(choice)
            ? ["libopenblas.so.0", "/usr/lib/x86_64-linux-gnu/libopenblas.so.0", "/usr/lib/x86_64-linux-gnu/openblas-pthread/libopenblas.so.0", "libopenblas.so", "openblas"]
            : [choice];
        foreach (var name in candidates)
        {
            if (!NativeLibrary.TryLoad(name, out var handle)) continue;
            if (!NativeLibrary.TryGetExport(handle, "cblas_sgemm", out var sgemm)) continue;
            Sgemm = (delegate* unmanaged[Cdecl]<int, int, int, int, int, int, float, float*, int, float*, int, float, float*, int, void>)sgemm;
            if (NativeLibrary.TryGetExport(handle, "openblas_set_num_threads", out var set))
                SetThreads = (delegate* unmanaged[Cdecl]<int, void>)set;
            LibraryPath = name;
            break;
        }
    }

    /// <summary>
    /// OpenBLAS's worker threads spin after each GEMM (default: 2^28 cycles, about 0.1 s) waiting for the next one, which
    /// on a small machine steals the cores the engine's own kernels run on between GEMMs. OpenBLAS reads
    /// <c>OPENBLAS_THREAD_TIMEOUT</c> (spin = 2^n cycles, n ≥ 4) when it loads, so it is set in the native environment
    /// before loading, unless the user set it.
    /// </summary>
    private static void LimitSpinning()
    {
        const string name = "OPENBLAS_THREAD_TIMEOUT";
        if (Environment.GetEnvironmentVariable(name) is not null || !OperatingSystem.IsLinux()) return;
        try
        {
            setenv(name, "4", 0);
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            // No libc setenv: OpenBLAS keeps its default spin, which is slower but correct.
        }
    }

    [DllImport("libc", CharSet = CharSet.Ansi)]
    private static extern int setenv(string name, string value, int overwrite);

    /// <summary>True when cblas_sgemm was found.</summary>
    public static bool IsAvailable => Sgemm != null;

    /// <summary>The library that was loaded, or null.</summary>
    public static string? LibraryPath { get; }

    /// <summary>Sets OpenBLAS's own thread count (it runs its GEMMs on its own threads).</summary>
    public static void SetThreadCount(int threads)
    {
        if (SetThreads != null) SetThreads(threads);
    }

    /// <summary>Row-major C = alpha·op(A)·op(B) + beta·C.</summary>
    public static void Gemm(bool transA, bool transB, int m, int n, int k, float alpha, float* a, int lda, float* b, int ldb, float beta, float* c, int ldc)
    {
        if (Sgemm == null) throw new InvalidOperationException("OpenBLAS is not loaded");
        Sgemm(RowMajor, transA ? Trans : NoTrans, transB ? Trans : NoTrans, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc);
    }
}
