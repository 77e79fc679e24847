using ToolSharp.Tensors.Kernels;
using ToolSharp.Tensors.Native;

namespace ToolSharp.Tensors.Tests;

/// <summary>OpenBLAS, when it loads, against the same double-precision reference as the managed kernels (and the
/// engine's dispatch to it); skipped with the reason when it is absent.</summary>
[Collection(GemmBackendTests.Collection)] // switches the process-wide backend
public class OpenBlasGemmTests
{
    public static TheoryData<bool, bool> Transposes() => new() { { false, false }, { false, true }, { true, false }, { true, true } };

    [OpenBlasTheory]
    [MemberData(nameof(Transposes))]
    public unsafe void Openblas_matches_the_reference(bool ta, bool tb)
    {
        foreach (var (m, n, k) in new[] { (1, 1, 1), (3, 17, 63), (63, 3, 257), (257, 63, 17), (17, 257, 3) })
        {
            var r = GemmReference.For(m, n, k);
            int lda = (ta ? m : k) + 2, ldb = (tb ? k : n) + 2, ldc = n + 2;
            float[] a = r.StoreA(ta, lda), b = r.StoreB(tb, ldb), c = r.StoreC(ldc);
            fixed (float* pa = a) fixed (float* pb = b) fixed (float* pc = c)
                OpenBlas.Gemm(ta, tb, m, n, k, r.Alpha, pa, lda, pb, ldb, r.Beta, pc, ldc);
            r.Check(c, ldc, $"OpenBLAS transA={ta} transB={tb} {m}×{n}×{k}");
        }
    }

    [OpenBlasFact]
    public unsafe void The_openblas_backend_runs_openblas()
    {
        var r = GemmReference.For(63, 257, 63);
        float[] a = r.StoreA(false, 63), b = r.StoreB(true, 63);
        var direct = r.StoreC(257);
        fixed (float* pa = a) fixed (float* pb = b) fixed (float* pc = direct)
            OpenBlas.Gemm(false, true, 63, 257, 63, r.Alpha, pa, 63, pb, 63, r.Beta, pc, 257);
        var dispatched = r.StoreC(257);
        var before = Gemm.Backend;
        try
        {
            Gemm.Backend = GemmBackend.OpenBlas;
            Gemm.Active.ShouldBe(GemmBackend.OpenBlas);
            Gemm.ActiveName.ShouldBe("openblas");
            Gemm.Run(false, true, 63, 257, 63, r.Alpha, a, 63, b, 63, r.Beta, dispatched, 257);
        }
        finally
        {
            Gemm.Backend = before;
        }
        dispatched.ShouldBe(direct);
    }
}
