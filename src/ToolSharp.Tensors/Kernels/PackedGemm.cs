using System.Runtime.CompilerServices;
using ToolSharp.Tensors.Kernels.Simd;

namespace ToolSharp.Tensors.Kernels;

/// <summary>The packed, cache-blocked GEMM (GotoBLAS/BLIS structure) at one vector width.</summary>
/// <remarks>
/// Loops, outermost first: NC columns of C; KC steps of k, packing that KC × NC block of op(B) into NR-column panels
/// (it stays in L2); MR rows of C, packing that MR × KC panel of op(A) (it stays in L1); NR-column panels, each a call
/// of the micro-kernel, which keeps the MR × NR block of C in registers and adds KC rank-1 updates with FMA.
/// Every element of C is accumulated by one thread over k in the same order whatever the partition, so results do
/// not depend on the thread count; edge tiles are padded in the packed panels and written through a scratch tile.
/// </remarks>
internal static unsafe class PackedGemm<TLanes, TVector>
    where TLanes : struct, ILanes<TVector>
    where TVector : unmanaged
{
    private static int MR => TLanes.Rows;

    private static int NR => 2 * TLanes.Width;

    /// <summary>C = alpha·op(A)·op(B) + beta·C on <paramref name="threads"/> threads; k ≥ 1, m, n ≥ 1.</summary>
    public static void Run(bool transA, bool transB, int m, int n, int k, float alpha, float* a, int lda, float* b, int ldb,
        float beta, float* c, int ldc, int threads)
    {
        // Split the larger dimension of C: each thread packs its own copy of the other operand's block, which costs
        // 1/(its share of that dimension) of the multiply-adds.
        var byRows = m >= n;
        var units = byRows ? (m + MR - 1) / MR : (n + NR - 1) / NR;
        if (Math.Min(threads, units) <= 1) Region(transA, transB, k, alpha, a, lda, b, ldb, beta, c, ldc, 0, m, 0, n);
        else Parallel(transA, transB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc, threads, byRows, units);
    }

    /// <summary>Whole MR-row (or NR-column) strips of C per thread; kept apart from <see cref="Run"/> so that a
    /// single-threaded call allocates no closure.</summary>
    private static void Parallel(bool transA, bool transB, int m, int n, int k, float alpha, float* a, int lda, float* b, int ldb,
        float beta, float* c, int ldc, int threads, bool byRows, int units)
    {
        nint pa = (nint)a, pb = (nint)b, pc = (nint)c;
        EngineThreads.Split(units, threads, (u0, u1) =>
        {
            if (byRows) Region(transA, transB, k, alpha, (float*)pa, lda, (float*)pb, ldb, beta, (float*)pc, ldc, u0 * MR, Math.Min(m, u1 * MR), 0, n);
            else Region(transA, transB, k, alpha, (float*)pa, lda, (float*)pb, ldb, beta, (float*)pc, ldc, 0, m, u0 * NR, Math.Min(n, u1 * NR));
        });
    }

    /// <summary>The k-block length: k split into equal blocks of at most <see cref="GemmScratch.MaxKc"/>.</summary>
    /// <remarks>It depends on k alone, never on the partition, so the summation order of every element is fixed.</remarks>
    private static int KcStep(int k)
    {
        var blocks = (k + GemmScratch.MaxKc - 1) / GemmScratch.MaxKc;
        return (k + blocks - 1) / blocks;
    }

    /// <summary>Rows [i0, i1) × columns [j0, j1) of C, single-threaded.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Region(bool transA, bool transB, int k, float alpha, float* a, int lda, float* b, int ldb,
        float beta, float* c, int ldc, int i0, int i1, int j0, int j1)
    {
        var scratch = GemmScratch.Current;
        float* ap = scratch.A, bp = scratch.B, tile = scratch.Tile;
        var kcStep = KcStep(k);
        var ncStep = Math.Max(NR, GemmScratch.BlockFloats / kcStep / NR * NR);
        for (var jc = j0; jc < j1; jc += ncStep)
        {
            var nc = Math.Min(ncStep, j1 - jc);
            for (var pk = 0; pk < k; pk += kcStep)
            {
                var kc = Math.Min(kcStep, k - pk);
                // The first k-block applies beta (and never reads C when beta is 0); later blocks add to it.
                var betaNow = pk == 0 ? beta : 1f;
                PackB(transB, b, ldb, pk, kc, jc, nc, bp);
                for (var ir = i0; ir < i1; ir += MR)
                {
                    var rows = Math.Min(MR, i1 - ir);
                    PackA(transA, a, lda, ir, rows, pk, kc, ap);
                    var cRow = c + (long)ir * ldc + jc;
                    for (var jr = 0; jr < nc; jr += NR)
                    {
                        var cols = Math.Min(NR, nc - jr);
                        MicroTile(kc, ap, bp + (long)jr * kc, cRow + jr, ldc, rows, cols, tile, alpha, betaNow);
                    }
                }
            }
        }
    }

    /// <summary>A rows × cols block of C (at most MR × NR) from packed panels: straight into C when full, else through
    /// the scratch tile.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void MicroTile(int kc, float* ap, float* bp, float* c, int ldc, int rows, int cols, float* tile, float alpha, float beta)
    {
        if (rows == MR && cols == NR)
        {
            Tile(kc, ap, bp, c, ldc, alpha, beta);
            return;
        }
        Tile(kc, ap, bp, tile, NR, 1f, 0f);
        Merge(tile, c, ldc, rows, cols, alpha, beta);
    }

    /// <summary>The micro-kernel: C[MR × NR] = alpha·(Ap·Bp) + beta·C over kc packed steps.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Tile(int kc, float* a, float* b, float* c, int ldc, float alpha, float beta)
    {
        TVector c0_0 = TLanes.Zero, c0_1 = TLanes.Zero,
            c1_0 = TLanes.Zero, c1_1 = TLanes.Zero,
            c2_0 = TLanes.Zero, c2_1 = TLanes.Zero,
            c3_0 = TLanes.Zero, c3_1 = TLanes.Zero,
            c4_0 = TLanes.Zero, c4_1 = TLanes.Zero,
            c5_0 = TLanes.Zero, c5_1 = TLanes.Zero,
            c6_0 = TLanes.Zero, c6_1 = TLanes.Zero,
            c7_0 = TLanes.Zero, c7_1 = TLanes.Zero;
        var w = TLanes.Width;
        for (var p = 0; p < kc; p++)
        {
            var b0 = TLanes.Load(b);
            var b1 = TLanes.Load(b + w);
            { var x = TLanes.Broadcast(a + 0); c0_0 = TLanes.MultiplyAdd(x, b0, c0_0); c0_1 = TLanes.MultiplyAdd(x, b1, c0_1); }
            if (TLanes.Rows > 1) { var x = TLanes.Broadcast(a + 1); c1_0 = TLanes.MultiplyAdd(x, b0, c1_0); c1_1 = TLanes.MultiplyAdd(x, b1, c1_1); }
            if (TLanes.Rows > 2) { var x = TLanes.Broadcast(a + 2); c2_0 = TLanes.MultiplyAdd(x, b0, c2_0); c2_1 = TLanes.MultiplyAdd(x, b1, c2_1); }
            if (TLanes.Rows > 3) { var x = TLanes.Broadcast(a + 3); c3_0 = TLanes.MultiplyAdd(x, b0, c3_0); c3_1 = TLanes.MultiplyAdd(x, b1, c3_1); }
            if (TLanes.Rows > 4) { var x = TLanes.Broadcast(a + 4); c4_0 = TLanes.MultiplyAdd(x, b0, c4_0); c4_1 = TLanes.MultiplyAdd(x, b1, c4_1); }
            if (TLanes.Rows > 5) { var x = TLanes.Broadcast(a + 5); c5_0 = TLanes.MultiplyAdd(x, b0, c5_0); c5_1 = TLanes.MultiplyAdd(x, b1, c5_1); }
            if (TLanes.Rows > 6) { var x = TLanes.Broadcast(a + 6); c6_0 = TLanes.MultiplyAdd(x, b0, c6_0); c6_1 = TLanes.MultiplyAdd(x, b1, c6_1); }
            if (TLanes.Rows > 7) { var x = TLanes.Broadcast(a + 7); c7_0 = TLanes.MultiplyAdd(x, b0, c7_0); c7_1 = TLanes.MultiplyAdd(x, b1, c7_1); }
            a += MR;
            b += 2 * w;
        }
        StoreRow(c + 0 * (nint)ldc, c0_0, c0_1, alpha, beta);
        if (TLanes.Rows > 1) StoreRow(c + 1 * (nint)ldc, c1_0, c1_1, alpha, beta);
        if (TLanes.Rows > 2) StoreRow(c + 2 * (nint)ldc, c2_0, c2_1, alpha, beta);
        if (TLanes.Rows > 3) StoreRow(c + 3 * (nint)ldc, c3_0, c3_1, alpha, beta);
        if (TLanes.Rows > 4) StoreRow(c + 4 * (nint)ldc, c4_0, c4_1, alpha, beta);
        if (TLanes.Rows > 5) StoreRow(c + 5 * (nint)ldc, c5_0, c5_1, alpha, beta);
        if (TLanes.Rows > 6) StoreRow(c + 6 * (nint)ldc, c6_0, c6_1, alpha, beta);
        if (TLanes.Rows > 7) StoreRow(c + 7 * (nint)ldc, c7_0, c7_1, alpha, beta);
    }

    /// <summary>One row of a tile: alpha·acc, plus beta·C unless beta is 0 (then C is not read, so NaN there cannot leak).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void StoreRow(float* c, TVector lo, TVector hi, float alpha, float beta)
    {
        var w = TLanes.Width;
        if (alpha != 1f)
        {
            var va = TLanes.Broadcast(alpha);
            lo = TLanes.Multiply(lo, va);
            hi = TLanes.Multiply(hi, va);
        }
        if (beta == 1f)
        {
            lo = TLanes.Add(lo, TLanes.Load(c));
            hi = TLanes.Add(hi, TLanes.Load(c + w));
        }
        else if (beta != 0f)
        {
            var vb = TLanes.Broadcast(beta);
            lo = TLanes.Add(lo, TLanes.Multiply(TLanes.Load(c), vb));
            hi = TLanes.Add(hi, TLanes.Multiply(TLanes.Load(c + w), vb));
        }
        TLanes.Store(c, lo);
        TLanes.Store(c + w, hi);
    }

    /// <summary>The used part of an edge tile into C, rounding exactly as <see cref="StoreRow"/> does so an element's value
    /// does not depend on whether it fell in an edge tile.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Merge(float* tile, float* c, int ldc, int rows, int cols, float alpha, float beta)
    {
        for (var r = 0; r < rows; r++)
        {
            var src = tile + r * NR;
            var dst = c + (long)r * ldc;
            for (var j = 0; j < cols; j++)
            {
                var v = alpha * src[j];
                dst[j] = beta == 0f ? v : v + beta * dst[j];
            }
        }
    }

    /// <summary>Whether packing may use AVX: the 256- and 512-bit paths (the narrower ones test the scalar packing).</summary>
    private static bool SimdPacking => TLanes.Width >= 8;

    /// <summary>op(A)[ir.., pk..] (rows × kc) into an MR-row panel, k-major (MR values per k).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void PackA(bool transA, float* a, int lda, int ir, int rows, int pk, int kc, float* dst)
    {
        if (transA) GemmPacking.Copy(a + (long)pk * lda + ir, lda, rows, kc, dst, MR);
        else GemmPacking.Transpose(a + (long)ir * lda + pk, lda, rows, kc, dst, MR, SimdPacking);
    }

    /// <summary>op(B)[pk.., jc..] (kc × nc) into NR-column panels (panel j holds kc rows of NR values).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void PackB(bool transB, float* b, int ldb, int pk, int kc, int jc, int nc, float* dst)
    {
        var nr = NR;
        for (var jr = 0; jr < nc; jr += nr, dst += (long)nr * kc)
        {
            var cols = Math.Min(nr, nc - jr);
            if (transB) GemmPacking.Transpose(b + (long)(jc + jr) * ldb + pk, ldb, cols, kc, dst, nr, SimdPacking);
            else GemmPacking.Copy(b + (long)pk * ldb + jc + jr, ldb, cols, kc, dst, nr);
        }
    }
}
