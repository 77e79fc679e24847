using ToolSharp.Core.Randomness;
using ToolSharp.Tensors.Ops;

namespace ToolSharp.Tensors.Tests;

public class OpGradientTests
{
    private static readonly SeededRandom Rng = new(5);

    private static Tensor R(params int[] shape) => GradientCheck.Random(Rng, shape);

    [Fact]
    public void Add_mul_scale_sum()
    {
        Tensor a = R(3, 4), b = R(3, 4);
        GradientCheck.Check(() => Ops.Ops.Add(a, b), [a, b]);
        GradientCheck.Check(() => Ops.Ops.Mul(a, b), [a, b]);
        GradientCheck.Check(() => Ops.Ops.Scale(a, -1.7f), [a]);
        GradientCheck.Check(() => Ops.Ops.Sum(Ops.Ops.Mul(a, a)), [a]);
    }

    [Fact]
    public void Silu_and_swiglu()
    {
        Tensor g = R(5, 6), u = R(5, 6);
        GradientCheck.Check(() => Ops.Ops.Silu(g), [g]);
        GradientCheck.Check(() => Ops.Ops.SwiGlu(g, u), [g, u]);
    }

    [Fact]
    public void Matmul_plain_and_batched()
    {
        Tensor a = R(4, 5), b = R(5, 3);
        GradientCheck.Check(() => Ops.Ops.MatMul(a, b), [a, b]);
        Tensor c = R(2, 3, 4), d = R(2, 4, 5);
        GradientCheck.Check(() => Ops.Ops.MatMul(c, d), [c, d]);
    }

    [Fact]
    public void Linear_with_bias_and_transpose()
    {
        Tensor x = R(6, 5), w = R(4, 5), bias = R(4);
        GradientCheck.Check(() => Ops.Ops.Linear(x, w, bias), [x, w, bias]);
        GradientCheck.Check(() => Ops.Ops.Transpose(w), [w]);
    }

    [Fact]
    public void Embedding_scatter_adds_repeated_ids()
    {
        var w = R(7, 4);
        GradientCheck.Check(() => Ops.Ops.Embedding(w, [3, 1, 3, 6, 0]), [w]);
    }

    [Fact]
    public void Select_rows_scatters_back()
    {
        var x = R(5, 3);
        GradientCheck.Check(() => Ops.Ops.SelectRows(x, [4, 0, 4]), [x]);
    }

    [Fact]
    public void Rms_norm_full_rows_and_per_head()
    {
        Tensor x = R(4, 8), w = R(8), wHead = R(4);
        GradientCheck.Check(() => Ops.Ops.RmsNorm(x, w, 1e-6f), [x, w]);
        GradientCheck.Check(() => Ops.Ops.RmsNorm(x, wHead, 1e-6f), [x, wHead]);
    }

    [Fact]
    public void Rope_full_and_partial()
    {
        var x = R(5, 2 * 8);
        int[] pos = [0, 1, 2, 7, 30];
        GradientCheck.Check(() => Ops.Ops.Rope(x, pos, new RotaryEmbedding(8, 10000f)), [x]);
        GradientCheck.Check(() => Ops.Ops.Rope(x, pos, new RotaryEmbedding(8, 10000f, rotaryDim: 4)), [x]);
    }

    [Fact]
    public void Attention_with_grouped_heads_and_padding()
    {
        var padded = AttentionLayout.Padded(length: 5, validLengths: [5, 3], heads: 4, kvHeads: 2, headDim: 3);
        Tensor q = R(10, 12), k = R(10, 6), v = R(10, 6);
        GradientCheck.Check(() => Ops.Ops.CausalAttention(q, k, v, padded), [q, k, v], maxElements: 120);
        var packed = AttentionLayout.Packed([4, 1, 5], heads: 4, kvHeads: 2, headDim: 3);
        GradientCheck.Check(() => Ops.Ops.CausalAttention(q, k, v, packed), [q, k, v], maxElements: 120);
    }

    [Fact]
    public void Attention_over_several_causal_blocks()
    {
        // 70 and 37 rows span three and two 32-row query blocks; the sampled elements fall in every block.
        var layout = AttentionLayout.Padded(length: 70, validLengths: [70, 37], heads: 2, kvHeads: 1, headDim: 4);
        Tensor q = R(140, 8), k = R(140, 4), v = R(140, 4);
        GradientCheck.Check(() => Ops.Ops.CausalAttention(q, k, v, layout), [q, k, v], maxElements: 150);
        var packed = AttentionLayout.Packed([37, 70, 5], heads: 4, kvHeads: 2, headDim: 4);
        Tensor qp = R(112, 16), kp = R(112, 8), vp = R(112, 8);
        GradientCheck.Check(() => Ops.Ops.CausalAttention(qp, kp, vp, packed), [qp, kp, vp], maxElements: 200);
    }

    [Fact]
    public void Token_log_probs_and_entropy()
    {
        var logits = R(4, 9);
        GradientCheck.Check(() => Ops.Ops.TokenLogProbs(logits, [0, 8, 3, 3]), [logits]);
    }
}
