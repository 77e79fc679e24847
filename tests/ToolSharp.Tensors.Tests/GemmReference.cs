using System.Collections.Concurrent;
using ToolSharp.Core.Randomness;

namespace ToolSharp.Tensors.Tests;

/// <summary>Random GEMM problems and their naive double-precision results, laid out with any transposes and leading
/// dimensions, for checking the kernels.</summary>
internal sealed class GemmReference
{
    private static readonly ConcurrentDictionary<(int, int, int, float, float), GemmReference> Cache = new();

    private GemmReference(int m, int n, int k, float alpha, float beta)
    {
        (M, N, K, Alpha, Beta) = (m, n, k, alpha, beta);
        var rng = new SeededRandom((ulong)(m * 1_000_003 + n * 1009 + k));
        A = Values(rng, m * k);
        B = Values(rng, k * n);
        C = Values(rng, m * n);
        Expected = new double[m * n];
        Bound = new double[m * n];
        for (var i = 0; i < m; i++)
        for (var j = 0; j < n; j++)
        {
            double sum = 0, abs = 0;
            for (var p = 0; p < k; p++)
            {
                var term = (double)A[i * k + p] * B[p * n + j];
                sum += term;
                abs += Math.Abs(term);
            }
            var old = beta == 0 ? 0 : (double)beta * C[i * n + j];
            Expected[i * n + j] = alpha * sum + old;
            // float32 accumulation over k terms, then the alpha/beta update: a few ulps per term at worst
            Bound[i * n + j] = (k + 3) * 1.2e-7 * (Math.Abs(alpha) * abs + Math.Abs(old)) + 1e-30;
        }
    }

    public int M { get; }
    public int N { get; }
    public int K { get; }
    public float Alpha { get; }
    public float Beta { get; }

    /// <summary>Logical A (m × k), B (k × n) and the starting C (m × n), row-major and dense.</summary>
    public float[] A { get; }
    public float[] B { get; }
    public float[] C { get; }

    public double[] Expected { get; }

    /// <summary>Largest acceptable |result − expected| per element.</summary>
    public double[] Bound { get; }

    public static GemmReference For(int m, int n, int k, float alpha = 0.7f, float beta = 0.3f) =>
        Cache.GetOrAdd((m, n, k, alpha, beta), key => new GemmReference(key.Item1, key.Item2, key.Item3, key.Item4, key.Item5));

    /// <summary>A stored as op expects it (k × m when transposed) with row stride lda; padding holds <paramref name="fill"/>.</summary>
    public float[] StoreA(bool trans, int lda, float fill = 1e30f) => Store(A, M, K, trans, lda, fill);

    public float[] StoreB(bool trans, int ldb, float fill = 1e30f) => Store(B, K, N, trans, ldb, fill);

    /// <summary>The starting C with row stride ldc, or every value (padding too) set to <paramref name="fill"/>.</summary>
    public float[] StoreC(int ldc, float? fill = null, float padding = -7.25f)
    {
        var c = new float[(M - 1) * ldc + N];
        Array.Fill(c, padding);
        for (var i = 0; i < M; i++)
            for (var j = 0; j < N; j++) c[i * ldc + j] = fill ?? C[i * N + j];
        return c;
    }

    /// <summary>Asserts every element is within its bound and that C's padding between rows was left alone.</summary>
    public void Check(float[] c, int ldc, string context, float padding = -7.25f)
    {
        for (var i = 0; i < M; i++)
        {
            for (var j = 0; j < N; j++)
            {
                var got = c[i * ldc + j];
                var want = Expected[i * N + j];
                if (!(Math.Abs(got - want) <= Bound[i * N + j]))
                    throw new Xunit.Sdk.XunitException($"{context}: C[{i},{j}] = {got}, expected {want} ± {Bound[i * N + j]:E1}");
            }
            if (i < M - 1)
                for (var j = N; j < ldc; j++)
                    if (c[i * ldc + j] != padding) throw new Xunit.Sdk.XunitException($"{context}: padding C[{i},{j}] was overwritten with {c[i * ldc + j]}");
        }
    }

    private static float[] Store(float[] logical, int rows, int cols, bool trans, int ld, float fill)
    {
        var storedRows = trans ? cols : rows;
        var storedCols = trans ? rows : cols;
        var s = new float[(storedRows - 1) * ld + storedCols];
        Array.Fill(s, fill);
        for (var r = 0; r < rows; r++)
            for (var c = 0; c < cols; c++)
                s[trans ? c * ld + r : r * ld + c] = logical[r * cols + c];
        return s;
    }

    private static float[] Values(SeededRandom rng, int count)
    {
        var x = new float[count];
        for (var i = 0; i < count; i++) x[i] = (float)rng.NextGaussian();
        return x;
    }
}
