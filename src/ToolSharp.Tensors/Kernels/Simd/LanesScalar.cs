using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace ToolSharp.Tensors.Kernels.Simd;

/// <summary>Plain floats for the managed GEMM on hardware without SIMD: a 4 × 2 register block, multiply then add.</summary>
internal unsafe struct LanesScalar : ILanes<float>
{
    public static int Width => 1;

    public static int Rows => 4;

    public static float Zero => 0f;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Load(float* source) => *source;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Store(float* destination, float value) => *destination = value;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Broadcast(float* source) => *source;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Broadcast(float value) => value;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float MultiplyAdd(float left, float right, float addend) => addend + left * right;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Multiply(float left, float right) => left * right;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Add(float left, float right) => left + right;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> Fold(float value) => Vector128.CreateScalar(value);
}
