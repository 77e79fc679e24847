using System.Runtime.InteropServices;

namespace ToolSharp.Tensors.Native;

/// <summary>OpenBLAS loaded at run time with <see cref="NativeLibrary"/>, when the machine has it (Debian: libopenblas0-pthread).</summary>
/// <remarks>
/// Loading is optional and lazy: nothing loads the library until a GEMM or a benchmark asks for it, so a process that
/// runs the managed kernels (<c>TOOLSHARP_BLAS=managed</c>, or no OpenBLAS installed) never starts its threads.
/// The loader searches the usual library paths (and <c>LD_LIBRARY_PATH</c>) for <c>libopenblas.so.0</c>.
/// </remarks>
public static unsafe class OpenBlas
{
    private const int RowMajor = 101;
    private const int NoTrans = 111;
    private const int Trans = 112;

    private static readonly string[] Candidates =
        ["libopenblas.so.0", "/usr/lib/x86_64-linux-gnu/libopenblas.so.0", "/usr/lib/x86_64-linux-gnu/openblas-pthread/libopenblas.so.0", "libopenblas.so", "openblas"];

    /// <summary>Resolved on first use; the static constructor of this nested class is the once-only load.</summary>
    private static class Library
    {
        public static readonly delegate* unmanaged[Cdecl]<int, int, int, int, int, int, float, float*, int, float*, int, float, float*, int, void> Sgemm;
        public static readonly delegate* unmanaged[Cdecl]<int, void> SetThreads;
        public static readonly string? Path;

        static Library()
        {
            LimitSpinning();
            foreach (var name in Candidates)
            {
                if (!NativeLibrary.TryLoad(name, out var handle)) continue;
                if (!NativeLibrary.TryGetExport(handle, "cblas_sgemm", out var sgemm)) continue;
                Sgemm = (delegate* unmanaged[Cdecl]<int, int, int, int, int, int, float, float*, int, float*, int, float, float*, int, void>)sgemm;
                if (NativeLibrary.TryGetExport(handle, "openblas_set_num_threads", out var set))
                {
                    SetThreads = (delegate* unmanaged[Cdecl]<int, void>)set;
                    SetThreads(Volatile.Read(ref _threads));
                }
                Path = name;
                Volatile.Write(ref _loaded, true);
                break;
            }
        }
    }

    private static bool _loaded;

    /// <summary>The thread count last asked for, applied when the library loads.</summary>
    private static int _threads = Math.Max(1, Environment.ProcessorCount);

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

    /// <summary>True when cblas_sgemm was found (loads the library on first call).</summary>
    public static bool IsAvailable => Library.Sgemm != null;

    /// <summary>The library that was loaded, or null (loads it on first call).</summary>
    public static string? LibraryPath => Library.Path;

    /// <summary>Sets OpenBLAS's own thread count (it runs its GEMMs on its own threads); before the library loads, the
    /// count is kept and applied when it does, so setting it never loads the library.</summary>
    public static void SetThreadCount(int threads)
    {
        Volatile.Write(ref _threads, threads);
        if (Volatile.Read(ref _loaded) && Library.SetThreads != null) Library.SetThreads(threads);
    }

    /// <summary>Row-major C = alpha·op(A)·op(B) + beta·C.</summary>
    public static void Gemm(bool transA, bool transB, int m, int n, int k, float alpha, float* a, int lda, float* b, int ldb, float beta, float* c, int ldc)
    {
        var sgemm = Library.Sgemm;
        if (sgemm == null) throw new InvalidOperationException("OpenBLAS is not loaded");
        sgemm(RowMajor, transA ? Trans : NoTrans, transB ? Trans : NoTrans, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc);
    }
}
