using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace ToolSharp.Tensors.Kernels;

/// <summary>The vector width the managed GEMM runs at; the widest the CPU supports unless a test forces another.</summary>
public enum GemmSimd
{
    /// <summary>Plain floats: hardware without SIMD.</summary>
    Scalar,
    /// <summary>128-bit vectors (SSE, AdvSimd).</summary>
    Vector128,
    /// <summary>256-bit vectors with FMA (AVX2).</summary>
    Vector256,
    /// <summary>512-bit vectors (AVX-512F).</summary>
    Vector512,
}

/// <summary>Which <see cref="GemmSimd"/> widths this CPU runs.</summary>
public static class GemmSimdSupport
{
    /// <summary>The widest supported width.</summary>
    public static GemmSimd Best { get; } =
        IsSupported(GemmSimd.Vector512) ? GemmSimd.Vector512
        : IsSupported(GemmSimd.Vector256) ? GemmSimd.Vector256
        : IsSupported(GemmSimd.Vector128) ? GemmSimd.Vector128
        : GemmSimd.Scalar;

    public static bool IsSupported(GemmSimd simd) => simd switch
    {
        GemmSimd.Vector512 => Avx512F.IsSupported && Vector512.IsHardwareAccelerated,
        GemmSimd.Vector256 => Vector256.IsHardwareAccelerated && Fma.IsSupported,
        GemmSimd.Vector128 => Vector128.IsHardwareAccelerated,
        _ => true,
    };
}
