using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace ToolSharp.Tensors.Kernels.Simd;

/// <summary>Vector512&lt;float&gt; lanes for the managed GEMM: an 8 × 32 register block.</summary>
internal unsafe struct Lanes512 : ILanes<Vector512<float>>
{
    public static int Width => 16;

    public static int Rows => 8;

    public static Vector512<float> Zero
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get => Vector512<float>.Zero;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Load(float* source) => Vector512.Load(source);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Store(float* destination, Vector512<float> value) => value.Store(destination);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Broadcast(float* source) => Vector512.Create(*source);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Broadcast(float value) => Vector512.Create(value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> MultiplyAdd(Vector512<float> left, Vector512<float> right, Vector512<float> addend) => Vector512.MultiplyAddEstimate(left, right, addend);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Multiply(Vector512<float> left, Vector512<float> right) => left * right;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Add(Vector512<float> left, Vector512<float> right) => left + right;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> Fold(Vector512<float> value)
    {
        var half = value.GetLower() + value.GetUpper();
        return half.GetLower() + half.GetUpper();
    }
}
