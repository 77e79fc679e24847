using ToolSharp.Core.Randomness;
using ToolSharp.Tensors.Memory;
using ToolSharp.Tensors.Ops;

namespace ToolSharp.Tensors.Tests;

/// <summary>Forward values against straightforward reference computations.</summary>
public class OpForwardTests
{
    [Theory]
    [InlineData(4, new[] { 4, 2 })]
    [InlineData(70, new[] { 70, 37 })] // several 32-row causal blocks, the last one partial
    public void Attention_matches_a_naive_reference_and_zeroes_padding(int length, int[] lengths)
    {
        var rng = new SeededRandom(3);
        var layout = AttentionLayout.Padded(length, lengths, heads: 2, kvHeads: 1, headDim: 3);
        var rows = length * lengths.Length;
        Tensor q = GradientCheck.Random(rng, rows, 6), k = GradientCheck.Random(rng, rows, 3), v = GradientCheck.Random(rng, rows, 3);
        var y = Ops.Ops.CausalAttention(q, k, v, layout);
        for (var b = 0; b < lengths.Length; b++)
        for (var h = 0; h < 2; h++)
        for (var i = 0; i < length; i++)
        {
            var expected = new double[3];
            var row = b * length;
            if (i < layout.Lengths[b])
            {
                var scores = Enumerable.Range(0, i + 1).Select(j => Enumerable.Range(0, 3).Sum(c => (double)q[row + i, h * 3 + c] * k[row + j, c]) / Math.Sqrt(3)).ToArray();
                var max = scores.Max();
                var w = scores.Select(s => Math.Exp(s - max)).ToArray();
                var z = w.Sum();
                for (var j = 0; j <= i; j++)
                    for (var c = 0; c < 3; c++) expected[c] += w[j] / z * v[row + j, c];
            }
            for (var c = 0; c < 3; c++) ((double)y[row + i, h * 3 + c]).ShouldBe(expected[c], 1e-5);
        }
    }

    [Fact]
    public void Packed_sequences_do_not_see_each_other()
    {
        var rng = new SeededRandom(4);
        Tensor q = GradientCheck.Random(rng, 5, 2), k = GradientCheck.Random(rng, 5, 2), v = GradientCheck.Random(rng, 5, 2);
        var packed = Ops.Ops.CausalAttention(q, k, v, AttentionLayout.Packed([2, 3], 1, 1, 2));
        // the second sequence alone
        Tensor q2 = Tensor.FromArray(q.Span[4..].ToArray(), 3, 2), k2 = Tensor.FromArray(k.Span[4..].ToArray(), 3, 2), v2 = Tensor.FromArray(v.Span[4..].ToArray(), 3, 2);
        var alone = Ops.Ops.CausalAttention(q2, k2, v2, AttentionLayout.Packed([3], 1, 1, 2));
        packed.Span[4..].ToArray().ShouldBe(alone.ToArray());
    }

    [Fact]
    public void Token_log_probs_match_log_softmax_and_entropy()
    {
        var logits = Tensor.FromArray([1f, 2f, 3f, 0f, 0f, 0f], 2, 3);
        var y = Ops.Ops.TokenLogProbs(logits, [2, 0]);
        var lse = Math.Log(Math.Exp(1) + Math.Exp(2) + Math.Exp(3));
        ((double)y[0, 0]).ShouldBe(3 - lse, 1e-6);
        var p = new[] { 1.0, 2, 3 }.Select(z => Math.Exp(z - lse)).ToArray();
        ((double)y[0, 1]).ShouldBe(-p.Sum(x => x * Math.Log(x)), 1e-6);
        ((double)y[1, 0]).ShouldBe(-Math.Log(3), 1e-6);
        ((double)y[1, 1]).ShouldBe(Math.Log(3), 1e-6);
    }

    [Fact]
    public void Rms_norm_matches_definition()
    {
        var x = Tensor.FromArray([1f, 2f, 3f, 4f], 1, 4);
        var w = Tensor.FromArray([1f, 1f, 2f, 0.5f], 4);
        var y = Ops.Ops.RmsNorm(x, w, 0f);
        var rms = Math.Sqrt((1 + 4 + 9 + 16) / 4.0);
        ((double)y[0, 2]).ShouldBe(3 / rms * 2, 1e-6);
    }

    [Fact]
    public void Rope_rotates_pairs_half_a_head_apart()
    {
        var x = Tensor.FromArray([1f, 0f, 0f, 0f], 1, 4);
        var rope = new RotaryEmbedding(4, 10000f);
        var y = Ops.Ops.Rope(x, [1], rope);
        ((double)y[0, 0]).ShouldBe(Math.Cos(1), 1e-6);
        ((double)y[0, 2]).ShouldBe(Math.Sin(1), 1e-6);
        y[0, 1].ShouldBe(0f);
    }

    [Fact]
    public void Scope_returns_buffers_to_the_pool()
    {
        TensorPool.Clear();
        float[] first;
        using (new TensorScope())
        {
            first = Tensor.Temporary([123, 7]).Data;
        }
        using (new TensorScope())
        {
            Tensor.Temporary([123, 7]).Data.ShouldBeSameAs(first);
        }
    }
}
