using ToolSharp.Core.Randomness;
using ToolSharp.Tensors.Kernels;
using ToolSharp.Tensors.Native;

namespace ToolSharp.Tensors.Tests;

public class GemmTests
{
    private static float[] Random(SeededRandom rng, int n) => Enumerable.Range(0, n).Select(_ => (float)rng.NextGaussian()).ToArray();

    private static double[] Naive(bool ta, bool tb, int m, int n, int k, float alpha, float[] a, float[] b, float beta, float[] c)
    {
        var result = new double[m * n];
        for (var i = 0; i < m; i++)
        for (var j = 0; j < n; j++)
        {
            double s = 0;
            for (var p = 0; p < k; p++) s += (double)(ta ? a[p * m + i] : a[i * k + p]) * (tb ? b[j * k + p] : b[p * n + j]);
            result[i * n + j] = alpha * s + beta * c[i * n + j];
        }
        return result;
    }

    public static TheoryData<bool, bool, int, int, int> Shapes()
    {
        var data = new TheoryData<bool, bool, int, int, int>();
        foreach (var (m, n, k) in new[] { (1, 1, 1), (5, 17, 3), (33, 40, 65), (64, 16, 128), (3, 100, 7) })
            foreach (var ta in new[] { false, true })
                foreach (var tb in new[] { false, true })
                    data.Add(ta, tb, m, n, k);
        return data;
    }

    [Theory]
    [MemberData(nameof(Shapes))]
    public void Managed_kernel_matches_naive(bool ta, bool tb, int m, int n, int k)
    {
        var rng = new SeededRandom((ulong)(m * 1000 + n * 10 + k));
        float[] a = Random(rng, m * k), b = Random(rng, k * n), c = Random(rng, m * n);
        var expected = Naive(ta, tb, m, n, k, 0.7f, a, b, 0.3f, c);
        ManagedGemm.Run(ta, tb, m, n, k, 0.7f, a, ta ? m : k, b, tb ? k : n, 0.3f, c, n);
        for (var i = 0; i < c.Length; i++) ((double)c[i]).ShouldBe(expected[i], 1e-3 + 1e-4 * Math.Abs(expected[i]));
    }

    [Theory]
    [MemberData(nameof(Shapes))]
    public void Openblas_matches_managed_when_present(bool ta, bool tb, int m, int n, int k)
    {
        if (!OpenBlas.IsAvailable) return; // the managed path is covered above; CI installs OpenBLAS
        var rng = new SeededRandom(99);
        float[] a = Random(rng, m * k), b = Random(rng, k * n), c1 = Random(rng, m * n);
        var c2 = (float[])c1.Clone();
        ManagedGemm.Run(ta, tb, m, n, k, 1f, a, ta ? m : k, b, tb ? k : n, 1f, c1, n);
        unsafe
        {
            fixed (float* pa = a) fixed (float* pb = b) fixed (float* pc = c2)
                OpenBlas.Gemm(ta, tb, m, n, k, 1f, pa, ta ? m : k, pb, tb ? k : n, 1f, pc, n);
        }
        for (var i = 0; i < c1.Length; i++) c2[i].ShouldBe(c1[i], 1e-3f + 1e-4f * Math.Abs(c1[i]));
    }

    [Fact]
    public void Managed_kernel_is_deterministic_across_runs()
    {
        var rng = new SeededRandom(1);
        float[] a = Random(rng, 96 * 80), b = Random(rng, 80 * 70);
        var c1 = new float[96 * 70];
        var c2 = new float[96 * 70];
        ManagedGemm.Run(false, true, 96, 70, 80, 1f, a, 80, b, 80, 0f, c1, 70);
        ManagedGemm.Run(false, true, 96, 70, 80, 1f, a, 80, b, 80, 0f, c2, 70);
        c1.ShouldBe(c2);
    }

    [Fact]
    public void Openblas_is_found_on_this_machine_when_installed()
    {
        // CI installs libopenblas0-pthread; if the file is there, the loader must find it.
        if (File.Exists("/usr/lib/x86_64-linux-gnu/libopenblas.so.0") && Environment.GetEnvironmentVariable("TOOLSHARP_BLAS") is null)
            OpenBlas.IsAvailable.ShouldBeTrue();
    }
}
