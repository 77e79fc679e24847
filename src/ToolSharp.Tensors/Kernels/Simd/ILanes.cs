using System.Runtime.Intrinsics;

namespace ToolSharp.Tensors.Kernels.Simd;

/// <summary>The vector operations the managed GEMM needs, implemented once per instruction-set width so one generic
/// micro-kernel serves Vector512, Vector256, Vector128 and scalar code.</summary>
/// <remarks>Implementations are structs: the JIT compiles a separate copy of each generic kernel per width and inlines
/// these calls, so the abstraction costs nothing at run time. <see cref="Rows"/> is the micro-kernel's MR; it keeps a
/// block of MR rows × (2·<see cref="Width"/>) columns of C in registers.</remarks>
internal unsafe interface ILanes<TVector> where TVector : unmanaged
{
    /// <summary>Floats per vector.</summary>
    static abstract int Width { get; }

    /// <summary>Rows of C the micro-kernel keeps in registers (two vectors per row); at most 8, the rows it is unrolled for.</summary>
    static abstract int Rows { get; }

    static abstract TVector Zero { get; }

    static abstract TVector Load(float* source);

    static abstract void Store(float* destination, TVector value);

    static abstract TVector Broadcast(float* source);

    static abstract TVector Broadcast(float value);

    /// <summary>addend + left·right, fused when the hardware has FMA.</summary>
    static abstract TVector MultiplyAdd(TVector left, TVector right, TVector addend);

    static abstract TVector Multiply(TVector left, TVector right);

    static abstract TVector Add(TVector left, TVector right);

    /// <summary>Four partial sums of the lanes: halves added until 128 bits remain (lane i gets i, i+4, i+8, …),
    /// so that <see cref="LaneSums"/> can finish one vector or four at once with the same rounding.</summary>
    static abstract Vector128<float> Fold(TVector value);
}
