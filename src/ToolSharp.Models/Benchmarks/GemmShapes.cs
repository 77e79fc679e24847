using ToolSharp.Models.Configuration;

namespace ToolSharp.Models.Benchmarks;

/// <summary>The distinct GEMM shapes a model runs in a training step and in decoding, derived from its config the way
/// <see cref="Transformer"/> and the attention op call them.</summary>
public static class GemmShapes
{
    /// <summary>Query rows per attention block (Ops.CausalAttention's CausalBlock).</summary>
    private const int AttentionBlock = 32;

    /// <summary>Decoding batch sizes measured: the rows of A when sampling that many sequences at once.</summary>
    public static IReadOnlyList<int> DecodeRows { get; } = [1, 2, 4, 8];

    /// <param name="rows">Tokens in a training batch (rows of every projection).</param>
    /// <param name="sequenceLength">Tokens per sequence, for the attention shapes (the last block sees this many keys).</param>
    public static IReadOnlyList<GemmShape> For(string model, TransformerConfig c, int rows, int sequenceLength)
    {
        int h = c.HiddenSize, q = c.NumHeads * c.HeadDim, kv = c.NumKvHeads * c.HeadDim, inter = c.IntermediateSize, d = c.HeadDim;
        // Linear layers as (name, in features, out features); x[rows, in] · W[out, in]ᵀ.
        (string Name, int In, int Out)[] linears =
        [
            ("q_proj", h, q), ("k_proj", h, kv), ("v_proj", h, kv), ("o_proj", q, h),
            ("gate_proj", h, inter), ("up_proj", h, inter), ("down_proj", inter, h), ("lm_head", h, c.VocabSize),
        ];
        var shapes = new List<GemmShape>();
        foreach (var (name, inF, outF) in linears)
            shapes.Add(new GemmShape(model, name, "forward", false, true, rows, outF, inF, inF, inF, outF, 0f));
        foreach (var (name, inF, outF) in linears) // dX += dY · W
            shapes.Add(new GemmShape(model, name, "backward dX", false, false, rows, inF, outF, outF, inF, inF, 1f));
        foreach (var (name, inF, outF) in linears) // dW += dYᵀ · X
            shapes.Add(new GemmShape(model, name, "backward dW", true, false, outF, inF, rows, outF, inF, inF, 1f));

        // One head's last causal block: 32 query rows against every key, on strided views of q, k, v (as Ops.CausalAttention runs them).
        int block = Math.Min(AttentionBlock, sequenceLength), keys = sequenceLength;
        shapes.Add(new GemmShape(model, "scores q·kᵀ, dP = dY·vᵀ", "attention", false, true, block, keys, d, q, kv, keys, 0f, SingleThreaded: true));
        shapes.Add(new GemmShape(model, "y = P·v", "attention", false, false, block, d, keys, keys, kv, q, 0f, SingleThreaded: true));
        shapes.Add(new GemmShape(model, "dQ += dS·k", "attention", false, false, block, d, keys, keys, kv, q, 1f, SingleThreaded: true));
        shapes.Add(new GemmShape(model, "dV += Pᵀ·dY, dK += dSᵀ·q", "attention", true, false, keys, d, block, keys, q, kv, 1f, SingleThreaded: true));

        foreach (var m in DecodeRows)
            foreach (var (name, inF, outF) in linears.Where(l => l.Name is "gate_proj" or "down_proj" or "lm_head"))
                shapes.Add(new GemmShape(model, $"{name} ×{m}", "decode", false, true, m, outF, inF, inF, inF, outF, 0f));
        return Merge(shapes);
    }

    /// <summary>Shapes that are the same product (same pass, transposes, sizes, strides) become one, their names joined.</summary>
    private static List<GemmShape> Merge(List<GemmShape> shapes) =>
        shapes.GroupBy(s => (s.Pass, s.TransA, s.TransB, s.M, s.N, s.K, s.Lda, s.Ldb, s.Ldc, s.Beta, s.SingleThreaded))
            .Select(g => g.First() with { Name = string.Join(", ", g.Select(s => s.Name).Distinct()) })
            .ToList();
}
