using ToolSharp.Tensors.Kernels;

namespace ToolSharp.Tensors.Tests;

/// <summary>A theory for one managed-GEMM vector width; reported as skipped, with the reason, on a CPU without it.</summary>
public sealed class SimdTheoryAttribute : TheoryAttribute
{
    public SimdTheoryAttribute(GemmSimd simd)
    {
        if (!GemmSimdSupport.IsSupported(simd)) Skip = $"this CPU has no {simd} support (the managed GEMM's {simd} path is tested where it has)";
    }
}
