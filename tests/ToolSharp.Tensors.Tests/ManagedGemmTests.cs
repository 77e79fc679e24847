using ToolSharp.Tensors.Kernels;

namespace ToolSharp.Tensors.Tests;

/// <summary>The managed GEMM at every vector width against a naive double-precision reference: odd sizes on every
/// edge, all four transpose combinations, alpha/beta, strided leading dimensions, one and two threads.</summary>
public class ManagedGemmTests
{
    /// <summary>Sizes that hit every edge: below, at and above the register tiles and the k-block (256).</summary>
    private static readonly int[] Sizes = [1, 3, 17, 63, 257];

    public static TheoryData<bool, bool, int> TransposesAndThreads()
    {
        var data = new TheoryData<bool, bool, int>();
        foreach (var ta in new[] { false, true })
            foreach (var tb in new[] { false, true })
                foreach (var threads in new[] { 1, 2 })
                    data.Add(ta, tb, threads);
        return data;
    }

    public static TheoryData<GemmSimd> Widths()
    {
        var data = new TheoryData<GemmSimd>();
        foreach (var simd in Enum.GetValues<GemmSimd>().Where(GemmSimdSupport.IsSupported)) data.Add(simd);
        return data;
    }

    [SimdTheory(GemmSimd.Vector512)]
    [MemberData(nameof(TransposesAndThreads))]
    public void Vector512_matches_the_reference_on_every_size_combination(bool ta, bool tb, int threads) => EverySize(GemmSimd.Vector512, ta, tb, threads);

    [SimdTheory(GemmSimd.Vector256)]
    [MemberData(nameof(TransposesAndThreads))]
    public void Vector256_matches_the_reference_on_every_size_combination(bool ta, bool tb, int threads) => EverySize(GemmSimd.Vector256, ta, tb, threads);

    [SimdTheory(GemmSimd.Vector128)]
    [MemberData(nameof(TransposesAndThreads))]
    public void Vector128_matches_the_reference_on_every_size_combination(bool ta, bool tb, int threads) => EverySize(GemmSimd.Vector128, ta, tb, threads);

    [SimdTheory(GemmSimd.Scalar)]
    [MemberData(nameof(TransposesAndThreads))]
    public void Scalar_matches_the_reference_on_every_size_combination(bool ta, bool tb, int threads) => EverySize(GemmSimd.Scalar, ta, tb, threads);

    /// <summary>All 125 (m, n, k) from <see cref="Sizes"/>; every other one with padded leading dimensions (a strided view).</summary>
    private static void EverySize(GemmSimd simd, bool ta, bool tb, int threads)
    {
        var index = 0;
        foreach (var m in Sizes)
            foreach (var n in Sizes)
                foreach (var k in Sizes)
                {
                    var pad = index++ % 2 == 0 ? 0 : 5;
                    Check(simd, ta, tb, m, n, k, threads, pad, GemmReference.For(m, n, k));
                }
    }

    private static void Check(GemmSimd simd, bool ta, bool tb, int m, int n, int k, int threads, int pad, GemmReference r, float? cFill = null)
    {
        int lda = (ta ? m : k) + pad, ldb = (tb ? k : n) + pad, ldc = n + pad;
        var c = r.StoreC(ldc, cFill);
        ManagedGemm.Run(ta, tb, m, n, k, r.Alpha, r.StoreA(ta, lda), lda, r.StoreB(tb, ldb), ldb, r.Beta, c, ldc, simd, threads);
        r.Check(c, ldc, $"{simd} transA={ta} transB={tb} {m}×{n}×{k} pad {pad} alpha {r.Alpha} beta {r.Beta}, {threads} threads");
    }

    [Theory]
    [MemberData(nameof(Widths))]
    public void Decode_sized_products_match_the_reference_for_every_row_count(GemmSimd simd)
    {
        // 1-8 rows of A against a transposed B take the dot-product path, each row count its own blocks.
        foreach (var m in Enumerable.Range(1, 9))
            foreach (var n in new[] { 1, 5, 17, 63 })
                foreach (var k in new[] { 1, 3, 17, 64, 257 })
                    Check(simd, false, true, m, n, k, 1, m % 2 == 0 ? 3 : 0, GemmReference.For(m, n, k));
    }

    [Theory]
    [MemberData(nameof(Widths))]
    public void Beta_zero_never_reads_C_so_NaN_there_does_not_leak(GemmSimd simd)
    {
        foreach (var (m, n, k) in new[] { (3, 17, 257), (17, 63, 3), (63, 3, 17), (1, 257, 63), (257, 1, 1), (4, 40, 9), (2, 40, 9), (7, 40, 33) })
            foreach (var ta in new[] { false, true })
                foreach (var tb in new[] { false, true })
                    foreach (var alpha in new[] { 1f, -1.5f })
                        Check(simd, ta, tb, m, n, k, 2, 3, GemmReference.For(m, n, k, alpha, 0f), cFill: float.NaN);
    }

    [Theory]
    [MemberData(nameof(Widths))]
    public void Alpha_and_beta_combinations_match_the_reference(GemmSimd simd)
    {
        foreach (var (alpha, beta) in new[] { (1f, 0f), (1f, 1f), (-2f, 1f), (0.5f, -1f), (1f, 2.5f), (0f, 0.5f), (0f, 0f) })
            foreach (var (m, n, k) in new[] { (17, 63, 257), (3, 17, 63), (63, 257, 3) })
                foreach (var ta in new[] { false, true })
                    foreach (var tb in new[] { false, true })
                        Check(simd, ta, tb, m, n, k, 1, 0, GemmReference.For(m, n, k, alpha, beta));
    }

    [Theory]
    [MemberData(nameof(Widths))]
    public void Results_are_bit_identical_whatever_the_thread_count(GemmSimd simd)
    {
        foreach (var (m, n, k) in new[] { (257, 63, 257), (63, 257, 17), (3, 257, 63), (2, 257, 63), (6, 300, 65), (130, 70, 300) })
            foreach (var ta in new[] { false, true })
                foreach (var tb in new[] { false, true })
                {
                    var r = GemmReference.For(m, n, k, 1f, 1f);
                    float[] a = r.StoreA(ta, ta ? m : k), b = r.StoreB(tb, tb ? k : n);
                    var one = r.StoreC(n);
                    ManagedGemm.Run(ta, tb, m, n, k, 1f, a, ta ? m : k, b, tb ? k : n, 1f, one, n, simd, 1);
                    foreach (var threads in new[] { 2, 3, 4 })
                    {
                        var many = r.StoreC(n);
                        ManagedGemm.Run(ta, tb, m, n, k, 1f, a, ta ? m : k, b, tb ? k : n, 1f, many, n, simd, threads);
                        many.ShouldBe(one, $"{simd} transA={ta} transB={tb} {m}×{n}×{k}: {threads} threads differ from 1");
                    }
                }
    }

    [Fact]
    public void Zero_k_scales_C_by_beta()
    {
        var c = new[] { 1f, 2f, 3f, 4f };
        ManagedGemm.Run(false, false, 2, 2, 0, 1f, [], 1, [], 2, 0.5f, c, 2);
        c.ShouldBe([0.5f, 1f, 1.5f, 2f]);
        var nan = new[] { float.NaN, float.NaN };
        ManagedGemm.Run(false, false, 1, 2, 0, 1f, [], 1, [], 2, 0f, nan, 2);
        nan.ShouldBe([0f, 0f]);
    }

    [Fact]
    public void Operands_too_short_for_their_shape_are_rejected()
    {
        var a = new float[6];
        var b = new float[6];
        var c = new float[4];
        Should.Throw<ArgumentException>(() => ManagedGemm.Run(false, false, 2, 2, 3, 1f, a, 3, b, 2, 0f, new float[3], 2))
            .Message.ShouldContain("GEMM: C (2 × 2, leading dimension 2) needs 4 values, found 3");
        Should.Throw<ArgumentException>(() => ManagedGemm.Run(false, false, 2, 3, 3, 1f, a, 3, new float[8], 3, 0f, new float[6], 3))
            .Message.ShouldContain("GEMM: B (3 × 3, leading dimension 3) needs 9 values, found 8");
        Should.Throw<ArgumentException>(() => ManagedGemm.Run(true, false, 2, 2, 3, 1f, a, 1, b, 2, 0f, c, 2))
            .Message.ShouldContain("leading dimension of A is 1, expected at least 2");
    }
}
