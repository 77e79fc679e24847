using System.Runtime.Intrinsics;
using System.Runtime.CompilerServices;
using ToolSharp.Tensors.Kernels.Simd;

namespace ToolSharp.Tensors.Kernels;

/// <summary>C = alpha·A·Bᵀ + beta·C for a few rows of A (decoding a handful of sequences through a linear layer).</summary>
/// <remarks>
/// Packing the weights would cost as much as the product itself when A has only a few rows, so each output is a dot
/// product of a row of A with a row of B, both contiguous in k; a block of 4 rows of A × 2 rows of B (2 × 4, 1 × 4)
/// keeps enough independent sums in flight. Every element is computed the same way (vector sum over k, lanes added in one
/// fixed tree, then the k tail), whichever block it falls in, so results do not depend on the thread count.
/// </remarks>
internal static unsafe class DotGemm<TLanes, TVector>
    where TLanes : struct, ILanes<TVector>
    where TVector : unmanaged
{
    /// <summary>Columns of C per unit of work when splitting over threads.</summary>
    private const int ColumnUnit = 16;

    public static void Run(int m, int n, int k, float alpha, float* a, int lda, float* b, int ldb, float beta, float* c, int ldc, int threads)
    {
        var units = (n + ColumnUnit - 1) / ColumnUnit;
        if (Math.Min(threads, units) <= 1) Columns(m, k, alpha, a, lda, b, ldb, beta, c, ldc, 0, n);
        else Parallel(m, n, k, alpha, a, lda, b, ldb, beta, c, ldc, threads, units);
    }

    /// <summary>Whole units of columns per thread; apart from <see cref="Run"/> so a single-threaded call allocates nothing.</summary>
    private static void Parallel(int m, int n, int k, float alpha, float* a, int lda, float* b, int ldb, float beta, float* c, int ldc, int threads, int units)
    {
        nint pa = (nint)a, pb = (nint)b, pc = (nint)c;
        EngineThreads.Split(units, threads, (u0, u1) =>
            Columns(m, k, alpha, (float*)pa, lda, (float*)pb, ldb, beta, (float*)pc, ldc, u0 * ColumnUnit, Math.Min(n, u1 * ColumnUnit)));
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Columns(int m, int k, float alpha, float* a, int lda, float* b, int ldb, float beta, float* c, int ldc, int j0, int j1)
    {
        for (var i0 = 0; i0 < m; i0 += 4)
        {
            var rows = Math.Min(4, m - i0);
            var a0 = a + (long)i0 * lda;
            var c0 = c + (long)i0 * ldc;
            var j = j0;
            if (rows == 1)
            {
                for (; j + 4 <= j1; j += 4)
                {
                    var bj = b + (long)j * ldb;
                    Dot1x4(k, a0, bj, ldb, out var s0, out var s1, out var s2, out var s3);
                    Write(c0 + j, s0, alpha, beta);
                    Write(c0 + j + 1, s1, alpha, beta);
                    Write(c0 + j + 2, s2, alpha, beta);
                    Write(c0 + j + 3, s3, alpha, beta);
                }
            }
            else if (rows == 2)
            {
                var a1 = a0 + lda;
                for (; j + 4 <= j1; j += 4)
                {
                    var bj = b + (long)j * ldb;
                    Dot2x4(k, a0, a1, bj, ldb, out var s0, out var s1);
                    for (var q = 0; q < 4; q++)
                    {
                        Write(c0 + j + q, s0.GetElement(q), alpha, beta);
                        Write(c0 + ldc + j + q, s1.GetElement(q), alpha, beta);
                    }
                }
            }
            else
            {
                // Three rows repeat the last one; its extra sums are computed and dropped.
                var a1 = rows > 1 ? a0 + lda : a0;
                var a2 = rows > 2 ? a0 + 2L * lda : a1;
                var a3 = rows > 3 ? a0 + 3L * lda : a2;
                for (; j + 2 <= j1; j += 2)
                {
                    var bj = b + (long)j * ldb;
                    Dot4x2(k, a0, a1, a2, a3, bj, bj + ldb, out var s00, out var s01, out var s10, out var s11, out var s20, out var s21, out var s30, out var s31);
                    Write(c0 + j, s00, alpha, beta);
                    Write(c0 + j + 1, s01, alpha, beta);
                    Write(c0 + ldc + j, s10, alpha, beta);
                    Write(c0 + ldc + j + 1, s11, alpha, beta);
                    if (rows > 2)
                    {
                        Write(c0 + 2L * ldc + j, s20, alpha, beta);
                        Write(c0 + 2L * ldc + j + 1, s21, alpha, beta);
                    }
                    if (rows > 3)
                    {
                        Write(c0 + 3L * ldc + j, s30, alpha, beta);
                        Write(c0 + 3L * ldc + j + 1, s31, alpha, beta);
                    }
                }
            }
            for (; j < j1; j++)
            {
                var bj = b + (long)j * ldb;
                for (var r = 0; r < rows; r++) Write(c0 + (long)r * ldc + j, Dot(k, a0 + (long)r * lda, bj), alpha, beta);
            }
        }
    }

    /// <summary>alpha·sum (+ beta·C unless beta is 0), rounded as the packed kernel rounds.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Write(float* c, float sum, float alpha, float beta)
    {
        var v = alpha * sum;
        *c = beta == 0f ? v : v + beta * *c;
    }

    /// <summary>The k tail after the last full vector, added to <paramref name="sum"/> in order.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static float Tail(int p, int k, float* a, float* b, float sum)
    {
        for (; p < k; p++) sum += a[p] * b[p];
        return sum;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static float Dot(int k, float* a, float* b)
    {
        var w = TLanes.Width;
        var s = TLanes.Zero;
        var p = 0;
        for (; p + w <= k; p += w) s = TLanes.MultiplyAdd(TLanes.Load(a + p), TLanes.Load(b + p), s);
        return Tail(p, k, a, b, LaneSums.Sum(TLanes.Fold(s)));
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Dot1x4(int k, float* a, float* b, int ldb, out float r0, out float r1, out float r2, out float r3)
    {
        var w = TLanes.Width;
        float* b0 = b, b1 = b + ldb, b2 = b + 2L * ldb, b3 = b + 3L * ldb;
        TVector s0 = TLanes.Zero, s1 = TLanes.Zero, s2 = TLanes.Zero, s3 = TLanes.Zero;
        var p = 0;
        for (; p + w <= k; p += w)
        {
            var x = TLanes.Load(a + p);
            s0 = TLanes.MultiplyAdd(x, TLanes.Load(b0 + p), s0);
            s1 = TLanes.MultiplyAdd(x, TLanes.Load(b1 + p), s1);
            s2 = TLanes.MultiplyAdd(x, TLanes.Load(b2 + p), s2);
            s3 = TLanes.MultiplyAdd(x, TLanes.Load(b3 + p), s3);
        }
        var sums = LaneSums.Sum(TLanes.Fold(s0), TLanes.Fold(s1), TLanes.Fold(s2), TLanes.Fold(s3));
        r0 = Tail(p, k, a, b0, sums.GetElement(0));
        r1 = Tail(p, k, a, b1, sums.GetElement(1));
        r2 = Tail(p, k, a, b2, sums.GetElement(2));
        r3 = Tail(p, k, a, b3, sums.GetElement(3));
    }

    /// <summary>Two rows of A against four rows of B: the four sums of each A row, tails included.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Dot2x4(int k, float* a0, float* a1, float* b, int ldb, out Vector128<float> r0, out Vector128<float> r1)
    {
        var w = TLanes.Width;
        float* b0 = b, b1 = b + ldb, b2 = b + 2L * ldb, b3 = b + 3L * ldb;
        TVector s00 = TLanes.Zero, s01 = TLanes.Zero, s02 = TLanes.Zero, s03 = TLanes.Zero,
                s10 = TLanes.Zero, s11 = TLanes.Zero, s12 = TLanes.Zero, s13 = TLanes.Zero;
        var p = 0;
        for (; p + w <= k; p += w)
        {
            var x0 = TLanes.Load(a0 + p);
            var x1 = TLanes.Load(a1 + p);
            var y = TLanes.Load(b0 + p);
            s00 = TLanes.MultiplyAdd(x0, y, s00);
            s10 = TLanes.MultiplyAdd(x1, y, s10);
            y = TLanes.Load(b1 + p);
            s01 = TLanes.MultiplyAdd(x0, y, s01);
            s11 = TLanes.MultiplyAdd(x1, y, s11);
            y = TLanes.Load(b2 + p);
            s02 = TLanes.MultiplyAdd(x0, y, s02);
            s12 = TLanes.MultiplyAdd(x1, y, s12);
            y = TLanes.Load(b3 + p);
            s03 = TLanes.MultiplyAdd(x0, y, s03);
            s13 = TLanes.MultiplyAdd(x1, y, s13);
        }
        var first = LaneSums.Sum(TLanes.Fold(s00), TLanes.Fold(s01), TLanes.Fold(s02), TLanes.Fold(s03));
        var second = LaneSums.Sum(TLanes.Fold(s10), TLanes.Fold(s11), TLanes.Fold(s12), TLanes.Fold(s13));
        if (p < k)
        {
            first = Vector128.Create(Tail(p, k, a0, b0, first.GetElement(0)), Tail(p, k, a0, b1, first.GetElement(1)),
                Tail(p, k, a0, b2, first.GetElement(2)), Tail(p, k, a0, b3, first.GetElement(3)));
            second = Vector128.Create(Tail(p, k, a1, b0, second.GetElement(0)), Tail(p, k, a1, b1, second.GetElement(1)),
                Tail(p, k, a1, b2, second.GetElement(2)), Tail(p, k, a1, b3, second.GetElement(3)));
        }
        r0 = first;
        r1 = second;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Dot4x2(int k, float* a0, float* a1, float* a2, float* a3, float* b0, float* b1,
        out float r00, out float r01, out float r10, out float r11, out float r20, out float r21, out float r30, out float r31)
    {
        var w = TLanes.Width;
        TVector s00 = TLanes.Zero, s01 = TLanes.Zero, s10 = TLanes.Zero, s11 = TLanes.Zero,
                s20 = TLanes.Zero, s21 = TLanes.Zero, s30 = TLanes.Zero, s31 = TLanes.Zero;
        var p = 0;
        for (; p + w <= k; p += w)
        {
            var y0 = TLanes.Load(b0 + p);
            var y1 = TLanes.Load(b1 + p);
            var x = TLanes.Load(a0 + p);
            s00 = TLanes.MultiplyAdd(x, y0, s00);
            s01 = TLanes.MultiplyAdd(x, y1, s01);
            x = TLanes.Load(a1 + p);
            s10 = TLanes.MultiplyAdd(x, y0, s10);
            s11 = TLanes.MultiplyAdd(x, y1, s11);
            x = TLanes.Load(a2 + p);
            s20 = TLanes.MultiplyAdd(x, y0, s20);
            s21 = TLanes.MultiplyAdd(x, y1, s21);
            x = TLanes.Load(a3 + p);
            s30 = TLanes.MultiplyAdd(x, y0, s30);
            s31 = TLanes.MultiplyAdd(x, y1, s31);
        }
        var first = LaneSums.Sum(TLanes.Fold(s00), TLanes.Fold(s01), TLanes.Fold(s10), TLanes.Fold(s11));
        var second = LaneSums.Sum(TLanes.Fold(s20), TLanes.Fold(s21), TLanes.Fold(s30), TLanes.Fold(s31));
        r00 = Tail(p, k, a0, b0, first.GetElement(0));
        r01 = Tail(p, k, a0, b1, first.GetElement(1));
        r10 = Tail(p, k, a1, b0, first.GetElement(2));
        r11 = Tail(p, k, a1, b1, first.GetElement(3));
        r20 = Tail(p, k, a2, b0, second.GetElement(0));
        r21 = Tail(p, k, a2, b1, second.GetElement(1));
        r30 = Tail(p, k, a3, b0, second.GetElement(2));
        r31 = Tail(p, k, a3, b1, second.GetElement(3));
    }
}
