using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace ToolSharp.Tensors.Kernels.Simd;

/// <summary>Vector256&lt;float&gt; lanes for the managed GEMM: a 6 × 16 register block.</summary>
internal unsafe struct Lanes256 : ILanes<Vector256<float>>
{
    public static int Width => 8;

    public static int Rows => 6;

    public static Vector256<float> Zero
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get => Vector256<float>.Zero;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Load(float* source) => Vector256.Load(source);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Store(float* destination, Vector256<float> value) => value.Store(destination);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Broadcast(float* source) => Vector256.Create(*source);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Broadcast(float value) => Vector256.Create(value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> MultiplyAdd(Vector256<float> left, Vector256<float> right, Vector256<float> addend) => Vector256.MultiplyAddEstimate(left, right, addend);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Multiply(Vector256<float> left, Vector256<float> right) => left * right;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Add(Vector256<float> left, Vector256<float> right) => left + right;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> Fold(Vector256<float> value) => value.GetLower() + value.GetUpper();
}
