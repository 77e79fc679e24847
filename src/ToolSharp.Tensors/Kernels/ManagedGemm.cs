using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace ToolSharp.Tensors.Kernels;

/// <summary>A blocked SIMD GEMM in C#: the fallback when OpenBLAS is absent, and the reference it is tested against.</summary>
/// <remarks>
/// op(B) is packed into panels of 16 columns so the micro-kernel streams one contiguous panel while keeping a 4×16
/// block of C in eight AVX registers (fused multiply-add when the CPU has FMA). Rows of C are split across threads in
/// fixed chunks and every element is accumulated by one thread in k order, so results are deterministic.
/// </remarks>
public static unsafe class ManagedGemm
{
    private const int PanelWidth = 16;
    private const int RowBlock = 4;

    /// <summary>Row-major C = alpha·op(A)·op(B) + beta·C.</summary>
    public static void Run(bool transA, bool transB, int m, int n, int k, float alpha,
        ReadOnlySpan<float> a, int lda, ReadOnlySpan<float> b, int ldb, float beta, Span<float> c, int ldc, bool parallel = true)
    {
        if (m == 0 || n == 0) return;
        if (k == 0)
        {
            for (var i = 0; i < m; i++) Scale(c.Slice(i * ldc, n), beta);
            return;
        }

        if (transB && !transA && m <= SmallM)
        {
            RowDots(m, n, k, alpha, a, lda, b, ldb, beta, c, ldc, parallel);
            return;
        }

        var panels = (n + PanelWidth - 1) / PanelWidth;
        var packedB = Scratch(ref _packB, panels * k * PanelWidth);
        PackB(transB, n, k, b, ldb, packedB);

        float[]? packedA = null;
        if (transA)
        {
            packedA = Scratch(ref _packA, m * k);
            for (var p = 0; p < k; p++)
            {
                var src = a.Slice(p * lda, m);
                for (var i = 0; i < m; i++) packedA[i * k + p] = src[i];
            }
        }

        var rowBlocks = (m + RowBlock - 1) / RowBlock;
        fixed (float* aPtr0 = a)
        fixed (float* cPtr = c)
        fixed (float* bPtr = packedB)
        fixed (float* apPtr = packedA)
        {
            var aBase = transA ? apPtr : aPtr0;
            var aStride = transA ? k : lda;
            var ap = (nint)aBase;
            var bp = (nint)bPtr;
            var cp = (nint)cPtr;
            void Body(int start, int end)
            {
                for (var blk = start; blk < end; blk++)
                {
                    var i0 = blk * RowBlock;
                    var rows = Math.Min(RowBlock, m - i0);
                    for (var panel = 0; panel < panels; panel++)
                    {
                        var j0 = panel * PanelWidth;
                        var cols = Math.Min(PanelWidth, n - j0);
                        Kernel((float*)ap + (long)i0 * aStride, aStride, (float*)bp + (long)panel * k * PanelWidth, k,
                            (float*)cp + (long)i0 * ldc + j0, ldc, rows, cols, alpha, beta);
                    }
                }
            }
            if (parallel) EngineThreads.For(rowBlocks, Body, minPerChunk: Math.Max(1, 4096 / Math.Max(1, n * k / 64)));
            else Body(0, rowBlocks);
        }
    }

    /// <summary>Below this many rows (decoding a few sequences) a dot product per output beats packing the weights.</summary>
    private const int SmallM = 8;

    [ThreadStatic] private static float[]? _packA;
    [ThreadStatic] private static float[]? _packB;

    /// <summary>A per-thread buffer of at least <paramref name="size"/> floats, reused across calls (contents undefined).</summary>
    private static float[] Scratch(ref float[]? buffer, int size)
    {
        if (buffer is null || buffer.Length < size) buffer = new float[Math.Max(size, (buffer?.Length ?? 0) * 2)];
        return buffer;
    }

    /// <summary>C = alpha·A·Bᵀ + beta·C for few rows of A (decoding): each B row is loaded once and dotted with up to
    /// four A rows at a time, so the weights stream through memory once per call.</summary>
    private static void RowDots(int m, int n, int k, float alpha, ReadOnlySpan<float> a, int lda, ReadOnlySpan<float> b, int ldb, float beta, Span<float> c, int ldc, bool parallel)
    {
        fixed (float* pa = a)
        fixed (float* pb = b)
        fixed (float* pc = c)
        {
            nint ap = (nint)pa, bp = (nint)pb, cp = (nint)pc;
            [MethodImpl(MethodImplOptions.AggressiveOptimization)]
            void Body(int start, int end)
            {
                var results = new float[4];
                for (var i0 = 0; i0 < m; i0 += 4)
                {
                    var rows = Math.Min(4, m - i0);
                    var arow = (float*)ap + (long)i0 * lda;
                    for (var j = start; j < end; j++)
                    {
                        var brow = (float*)bp + (long)j * ldb;
                        if (rows == 1) results[0] = System.Numerics.Tensors.TensorPrimitives.Dot(new ReadOnlySpan<float>(arow, k), new ReadOnlySpan<float>(brow, k));
                        else DotRows(arow, lda, rows, brow, k, out results[0], out results[1], out results[2], out results[3]);
                        for (var r = 0; r < rows; r++)
                        {
                            var dst = (float*)cp + (long)(i0 + r) * ldc + j;
                            *dst = alpha * results[r] + (beta == 0 ? 0 : beta * *dst);
                        }
                    }
                }
            }
            if (parallel) EngineThreads.For(n, Body, minPerChunk: 64);
            else Body(0, n);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void DotRows(float* a, int lda, int rows, float* b, int k, out float r0, out float r1, out float r2, out float r3)
    {
        Vector256<float> s0 = default, s1 = default, s2 = default, s3 = default;
        var a0 = a;
        var a1 = rows > 1 ? a + lda : a;
        var a2 = rows > 2 ? a + 2 * lda : a;
        var a3 = rows > 3 ? a + 3 * lda : a;
        var p = 0;
        for (; p + 8 <= k; p += 8)
        {
            var bv = Vector256.Load(b + p);
            s0 = Fmadd(Vector256.Load(a0 + p), bv, s0);
            s1 = Fmadd(Vector256.Load(a1 + p), bv, s1);
            s2 = Fmadd(Vector256.Load(a2 + p), bv, s2);
            s3 = Fmadd(Vector256.Load(a3 + p), bv, s3);
        }
        float t0 = Vector256.Sum(s0), t1 = Vector256.Sum(s1), t2 = Vector256.Sum(s2), t3 = Vector256.Sum(s3);
        for (; p < k; p++)
        {
            t0 += a0[p] * b[p];
            t1 += a1[p] * b[p];
            t2 += a2[p] * b[p];
            t3 += a3[p] * b[p];
        }
        r0 = t0;
        r1 = t1;
        r2 = t2;
        r3 = t3;
    }

    private static void PackB(bool transB, int n, int k, ReadOnlySpan<float> b, int ldb, float[] packed)
    {
        var panels = (n + PanelWidth - 1) / PanelWidth;
        for (var panel = 0; panel < panels; panel++)
        {
            var j0 = panel * PanelWidth;
            var cols = Math.Min(PanelWidth, n - j0);
            var dst = panel * k * PanelWidth;
            for (var p = 0; p < k; p++)
            {
                var row = dst + p * PanelWidth;
                if (!transB)
                {
                    b.Slice(p * ldb + j0, cols).CopyTo(packed.AsSpan(row, cols));
                }
                else
                {
                    for (var j = 0; j < cols; j++) packed[row + j] = b[(j0 + j) * ldb + p];
                }
            }
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<float> Fmadd(Vector256<float> a, Vector256<float> b, Vector256<float> acc) =>
        Fma.IsSupported ? Fma.MultiplyAdd(a, b, acc) : acc + a * b;

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Kernel(float* a, int lda, float* panel, int k, float* c, int ldc, int rows, int cols, float alpha, float beta)
    {
        Vector256<float> c00 = default, c01 = default, c10 = default, c11 = default,
                         c20 = default, c21 = default, c30 = default, c31 = default;
        var a0 = a;
        var a1 = rows > 1 ? a + lda : a;
        var a2 = rows > 2 ? a + 2 * lda : a;
        var a3 = rows > 3 ? a + 3 * lda : a;
        for (var p = 0; p < k; p++)
        {
            var b0 = Vector256.Load(panel + p * PanelWidth);
            var b1 = Vector256.Load(panel + p * PanelWidth + 8);
            var v0 = Vector256.Create(a0[p]);
            c00 = Fmadd(v0, b0, c00);
            c01 = Fmadd(v0, b1, c01);
            var v1 = Vector256.Create(a1[p]);
            c10 = Fmadd(v1, b0, c10);
            c11 = Fmadd(v1, b1, c11);
            var v2 = Vector256.Create(a2[p]);
            c20 = Fmadd(v2, b0, c20);
            c21 = Fmadd(v2, b1, c21);
            var v3 = Vector256.Create(a3[p]);
            c30 = Fmadd(v3, b0, c30);
            c31 = Fmadd(v3, b1, c31);
        }
        Store(c, ldc, 0, rows, cols, c00, c01, alpha, beta);
        Store(c, ldc, 1, rows, cols, c10, c11, alpha, beta);
        Store(c, ldc, 2, rows, cols, c20, c21, alpha, beta);
        Store(c, ldc, 3, rows, cols, c30, c31, alpha, beta);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Store(float* c, int ldc, int r, int rows, int cols, Vector256<float> lo, Vector256<float> hi, float alpha, float beta)
    {
        if (r >= rows) return;
        var row = c + (long)r * ldc;
        var va = Vector256.Create(alpha);
        lo *= va;
        hi *= va;
        if (cols == PanelWidth)
        {
            if (beta != 0)
            {
                var vb = Vector256.Create(beta);
                lo += vb * Vector256.Load(row);
                hi += vb * Vector256.Load(row + 8);
            }
            lo.Store(row);
            hi.Store(row + 8);
            return;
        }
        for (var j = 0; j < cols; j++)
        {
            var v = j < 8 ? lo.GetElement(j) : hi.GetElement(j - 8);
            row[j] = beta == 0 ? v : v + beta * row[j];
        }
    }

    private static void Scale(Span<float> x, float beta)
    {
        if (beta == 0) x.Clear();
        else for (var i = 0; i < x.Length; i++) x[i] *= beta;
    }
}
