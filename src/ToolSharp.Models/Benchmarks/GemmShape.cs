namespace ToolSharp.Models.Benchmarks;

/// <summary>One matrix product a model runs: C[m×n] = alpha·op(A)·op(B) + beta·C with the leading dimensions it uses.</summary>
/// <param name="Model">The preset it comes from.</param>
/// <param name="Name">Which products have this shape (e.g. "q_proj, o_proj").</param>
/// <param name="Pass">forward, backward dX, backward dW, attention or decode.</param>
/// <param name="SingleThreaded">True for attention's per-head products, which the engine runs one per thread.</param>
public sealed record GemmShape(string Model, string Name, string Pass, bool TransA, bool TransB, int M, int N, int K,
    int Lda, int Ldb, int Ldc, float Beta, bool SingleThreaded = false)
{
    /// <summary>Floating-point operations of one product (a multiply-add counts two).</summary>
    public double Flops => 2.0 * M * N * K;

    /// <summary>The product written as op(A)·op(B), e.g. "A·Bᵀ".</summary>
    public string Operation => $"A{(TransA ? "ᵀ" : "")}·B{(TransB ? "ᵀ" : "")}";

    /// <summary>Floats the stored A, B and C need.</summary>
    public (long A, long B, long C) Lengths =>
        ((long)((TransA ? K : M) - 1) * Lda + (TransA ? M : K), (long)((TransB ? N : K) - 1) * Ldb + (TransB ? K : N), (long)(M - 1) * Ldc + N);
}
