using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace ToolSharp.Tensors.Kernels.Simd;

/// <summary>Finishes horizontal sums of <see cref="ILanes{TVector}.Fold"/>ed vectors as (x0 + x1) + (x2 + x3), for one
/// vector or four at a time (three horizontal adds for four sums); both give bit-identical results.</summary>
internal static class LaneSums
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Sum(Vector128<float> x)
    {
        if (Sse3.IsSupported)
        {
            var h = Sse3.HorizontalAdd(x, x);
            return Sse3.HorizontalAdd(h, h).ToScalar();
        }
        return (x.GetElement(0) + x.GetElement(1)) + (x.GetElement(2) + x.GetElement(3));
    }

    /// <summary>[Sum(a), Sum(b), Sum(c), Sum(d)].</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> Sum(Vector128<float> a, Vector128<float> b, Vector128<float> c, Vector128<float> d)
    {
        if (Sse3.IsSupported) return Sse3.HorizontalAdd(Sse3.HorizontalAdd(a, b), Sse3.HorizontalAdd(c, d));
        return Vector128.Create(Sum(a), Sum(b), Sum(c), Sum(d));
    }
}
