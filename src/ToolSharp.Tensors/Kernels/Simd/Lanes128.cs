using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace ToolSharp.Tensors.Kernels.Simd;

/// <summary>Vector128&lt;float&gt; lanes for the managed GEMM: a 6 × 8 register block.</summary>
internal unsafe struct Lanes128 : ILanes<Vector128<float>>
{
    public static int Width => 4;

    public static int Rows => 6;

    public static Vector128<float> Zero
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get => Vector128<float>.Zero;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> Load(float* source) => Vector128.Load(source);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Store(float* destination, Vector128<float> value) => value.Store(destination);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> Broadcast(float* source) => Vector128.Create(*source);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> Broadcast(float value) => Vector128.Create(value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> MultiplyAdd(Vector128<float> left, Vector128<float> right, Vector128<float> addend) => Vector128.MultiplyAddEstimate(left, right, addend);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> Multiply(Vector128<float> left, Vector128<float> right) => left * right;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> Add(Vector128<float> left, Vector128<float> right) => left + right;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> Fold(Vector128<float> value) => value;
}
