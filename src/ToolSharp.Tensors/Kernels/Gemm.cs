using ToolSharp.Tensors.Native;

namespace ToolSharp.Tensors.Kernels;

/// <summary>Row-major single-precision GEMM: C = alpha·op(A)·op(B) + beta·C, on OpenBLAS or the managed kernels.</summary>
/// <remarks>The backend comes from <c>TOOLSHARP_BLAS</c> (auto, managed or openblas; default auto = OpenBLAS when it
/// loads, else managed) unless <see cref="Backend"/> is set.</remarks>
public static unsafe class Gemm
{
    /// <summary>The environment variable that chooses the backend.</summary>
    public const string EnvironmentVariable = "TOOLSHARP_BLAS";

    /// <summary>Products below this many multiply-adds skip BLAS call overhead and threads.</summary>
    private const long SmallWork = 16 * 1024;

    private static GemmBackend? _requested;

    /// <summary>0 = not resolved yet, else 1 + (int)resolved backend (Managed or OpenBlas).</summary>
    private static int _resolved;

    /// <summary>The requested backend: set here, or read from <c>TOOLSHARP_BLAS</c> on first use.</summary>
    public static GemmBackend Backend
    {
        get => _requested ??= Parse(Environment.GetEnvironmentVariable(EnvironmentVariable));
        set
        {
            _requested = value;
            Volatile.Write(ref _resolved, 0);
        }
    }

    /// <summary>The backend that runs: <see cref="GemmBackend.Managed"/> or <see cref="GemmBackend.OpenBlas"/>.</summary>
    /// <exception cref="GemmBackendException">TOOLSHARP_BLAS is invalid, or asks for OpenBLAS and it cannot be loaded.</exception>
    public static GemmBackend Active
    {
        get
        {
            var resolved = Volatile.Read(ref _resolved);
            if (resolved != 0) return (GemmBackend)(resolved - 1);
            var active = Backend switch
            {
                GemmBackend.Managed => GemmBackend.Managed,
                GemmBackend.OpenBlas when OpenBlas.IsAvailable => GemmBackend.OpenBlas,
                GemmBackend.OpenBlas => throw new GemmBackendException(
                    $"{EnvironmentVariable}=openblas, but OpenBLAS (libopenblas.so.0) could not be loaded; install it (Debian: libopenblas0-pthread) or use {EnvironmentVariable}=managed"),
                _ => OpenBlas.IsAvailable ? GemmBackend.OpenBlas : GemmBackend.Managed,
            };
            Volatile.Write(ref _resolved, 1 + (int)active);
            return active;
        }
    }

    /// <summary>"managed" or "openblas": the name summaries and benchmarks record.</summary>
    public static string ActiveName => Active == GemmBackend.OpenBlas ? "openblas" : "managed";

    /// <summary>A one-line description for people: the backend, and what it runs on.</summary>
    public static string Describe() => Active == GemmBackend.OpenBlas
        ? $"openblas ({OpenBlas.LibraryPath})"
        : $"managed ({GemmSimdSupport.Best})";

    /// <summary>Reads a <c>TOOLSHARP_BLAS</c> value; empty or absent means auto.</summary>
    public static GemmBackend Parse(string? value) => value?.Trim().ToLowerInvariant() switch
    {
        null or "" or "auto" => GemmBackend.Auto,
        "managed" => GemmBackend.Managed,
        "openblas" => GemmBackend.OpenBlas,
        _ => throw new GemmBackendException($"{EnvironmentVariable}='{value}': expected one of auto, managed, openblas"),
    };

    public static void Run(bool transA, bool transB, int m, int n, int k, float alpha,
        ReadOnlySpan<float> a, int lda, ReadOnlySpan<float> b, int ldb, float beta, Span<float> c, int ldc)
    {
        if (m == 0 || n == 0) return;
        var work = (long)m * n * k;
        if (Active == GemmBackend.OpenBlas && work >= SmallWork)
        {
            fixed (float* pa = a)
            fixed (float* pb = b)
            fixed (float* pc = c)
            {
                OpenBlas.Gemm(transA, transB, m, n, k, alpha, pa, lda, pb, ldb, beta, pc, ldc);
            }
            return;
        }
        ManagedGemm.Run(transA, transB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc);
    }
}
