using System.Numerics.Tensors;
using ToolSharp.Tensors.Autograd;
using ToolSharp.Tensors.Kernels;
using ToolSharp.Tensors.Memory;

namespace ToolSharp.Tensors.Ops;

public static partial class Ops
{
    /// <summary>Causal self-attention with grouped-query heads and right padding: softmax(q·kᵀ/√d + mask)·v per head.</summary>
    /// <remarks>
    /// q is [N, H·d], k and v are [N, KV·d]; the layout says which rows form each sequence. The softmax is fused with
    /// the score GEMM and the probabilities are kept for the backward pass (O(T²) per head). Work is split over
    /// (sequence, key/value head) pairs so each task owns the gradients of its keys and values: no atomics,
    /// deterministic.
    /// </remarks>
    public static Tensor CausalAttention(Tensor q, Tensor k, Tensor v, AttentionLayout layout)
    {
        using var profile = OpProfiler.Measure("Attention");
        RequireShape(q, "attention q", layout.Rows, layout.QueryWidth);
        RequireShape(k, "attention k", layout.Rows, layout.KvWidth);
        RequireShape(v, "attention v", layout.Rows, layout.KvWidth);
        int batch = layout.Sequences, heads = layout.Heads, kvHeads = layout.KvHeads, d = layout.HeadDim, group = layout.Group;
        var scale = 1f / MathF.Sqrt(d);
        var rec = Tape.IsRecording(q, k, v);
        var y = Output([layout.Rows, layout.QueryWidth], rec, zeroed: true);
        // Probabilities of sequence s, head h start at probOffsets[s] + h·len²; row i uses the first i+1 entries of its len-wide row.
        var probOffsets = new long[batch + 1];
        for (var b = 0; b < batch; b++) probOffsets[b + 1] = probOffsets[b] + (long)heads * layout.Lengths[b] * layout.Lengths[b];
        if (probOffsets[batch] > int.MaxValue) throw new ArgumentException($"attention probabilities need {probOffsets[batch]} floats; use shorter sequences or smaller batches");
        // Every entry is written below (scores, or zero above the diagonal), so a pooled buffer needs no clearing.
        var probs = TensorScope.Allocate((int)probOffsets[batch], zeroed: false);

        // Per (sequence, head) the scores, the weighted values and every gradient are small GEMMs on strided views of
        // q/k/v (a head's rows are QueryWidth or KvWidth apart), run single-threaded inside the parallel task loop.
        EngineThreads.For(batch * kvHeads, (s, e) =>
        {
            var qs = q.Span;
            var ks = k.Span;
            var vs = v.Span;
            var ys = y.Span;
            for (var task = s; task < e; task++)
            {
                var b = task / kvHeads;
                var kvh = task % kvHeads;
                var len = layout.Lengths[b];
                if (len == 0) continue;
                var start = layout.Starts[b];
                var kv = ks.Slice(start * layout.KvWidth + kvh * d, (len - 1) * layout.KvWidth + d);
                var vv = vs.Slice(start * layout.KvWidth + kvh * d, (len - 1) * layout.KvWidth + d);
                for (var g = 0; g < group; g++)
                {
                    var h = kvh * group + g;
                    var p = probs.AsSpan((int)(probOffsets[b] + (long)h * len * len), len * len);
                    var qh = qs.Slice(start * layout.QueryWidth + h * d, (len - 1) * layout.QueryWidth + d);
                    var yh = ys.Slice(start * layout.QueryWidth + h * d, (len - 1) * layout.QueryWidth + d);
                    // A block of query rows sees only the keys up to its last row: skipping the masked rest halves the work.
                    for (var r0 = 0; r0 < len; r0 += CausalBlock)
                    {
                        var rows = Math.Min(CausalBlock, len - r0);
                        var keys = r0 + rows;
                        var pb = p.Slice(r0 * len, (rows - 1) * len + keys);
                        ManagedGemm.Run(false, true, rows, keys, d, scale, Rows(qh, r0, rows, layout.QueryWidth, d), layout.QueryWidth,
                            Rows(kv, 0, keys, layout.KvWidth, d), layout.KvWidth, 0f, pb, len, parallel: false);
                        for (var i = r0; i < keys; i++)
                        {
                            var row = p.Slice(i * len, len);
                            var visible = row[..(i + 1)];
                            var max = TensorPrimitives.Max(visible);
                            TensorPrimitives.Subtract(visible, max, visible);
                            TensorPrimitives.Exp(visible, visible);
                            TensorPrimitives.Multiply(visible, 1f / TensorPrimitives.Sum(visible), visible);
                            row[(i + 1)..].Clear();
                        }
                        ManagedGemm.Run(false, false, rows, d, keys, 1f, pb, len, Rows(vv, 0, keys, layout.KvWidth, d), layout.KvWidth,
                            0f, Rows(yh, r0, rows, layout.QueryWidth, d), layout.QueryWidth, parallel: false);
                    }
                }
            }
        });

        if (rec)
        {
            Tape.Current!.Record(() =>
            {
                using var backwardProfile = OpProfiler.Measure("Attention.backward");
                PrepareGrads(y, q, k, v);
                var longest = layout.Lengths.Length == 0 ? 0 : layout.Lengths.Max();
                EngineThreads.For(batch * kvHeads, (s, e) =>
                {
                    var qs = q.Span;
                    var ks = k.Span;
                    var vs = v.Span;
                    var gy = y.Grad;
                    var gq = q.RequiresGrad ? q.Grad : default;
                    var gk = k.RequiresGrad ? k.Grad : default;
                    var gv = v.RequiresGrad ? v.Grad : default;
                    var ds = new float[CausalBlock * longest];
                    for (var task = s; task < e; task++)
                    {
                        var b = task / kvHeads;
                        var kvh = task % kvHeads;
                        var len = layout.Lengths[b];
                        if (len == 0) continue;
                        var start = layout.Starts[b];
                        int kvOffset = start * layout.KvWidth + kvh * d, kvSpan = (len - 1) * layout.KvWidth + d, qSpan = (len - 1) * layout.QueryWidth + d;
                        var kv = ks.Slice(kvOffset, kvSpan);
                        var vv = vs.Slice(kvOffset, kvSpan);
                        for (var g = 0; g < group; g++)
                        {
                            var h = kvh * group + g;
                            var qOffset = start * layout.QueryWidth + h * d;
                            var p = probs.AsSpan((int)(probOffsets[b] + (long)h * len * len), len * len);
                            var qh = qs.Slice(qOffset, qSpan);
                            var dyh = gy.Slice(qOffset, qSpan);
                            // Block by block over query rows, each against the keys it can see (as in the forward pass).
                            for (var r0 = 0; r0 < len; r0 += CausalBlock)
                            {
                                var rows = Math.Min(CausalBlock, len - r0);
                                var keys = r0 + rows;
                                var pb = p.Slice(r0 * len, (rows - 1) * len + keys);
                                var dsb = ds.AsSpan(0, (rows - 1) * len + keys);
                                var dyb = Rows(dyh, r0, rows, layout.QueryWidth, d);
                                var kb = Rows(kv, 0, keys, layout.KvWidth, d);
                                // dP = dY·Vᵀ ; dV += Pᵀ·dY
                                ManagedGemm.Run(false, true, rows, keys, d, 1f, dyb, layout.QueryWidth, Rows(vv, 0, keys, layout.KvWidth, d), layout.KvWidth, 0f, dsb, len, parallel: false);
                                if (!gv.IsEmpty)
                                    ManagedGemm.Run(true, false, keys, d, rows, 1f, pb, len, dyb, layout.QueryWidth, 1f, Rows(gv.Slice(kvOffset, kvSpan), 0, keys, layout.KvWidth, d), layout.KvWidth, parallel: false);
                                // dS = P ∘ (dP − rowsum(P ∘ dP)) · scale (zero above the diagonal, where P is zero)
                                for (var i = 0; i < rows; i++)
                                {
                                    var visible = r0 + i + 1;
                                    var prow = pb.Slice(i * len, visible);
                                    var drow = dsb.Slice(i * len, keys);
                                    var dot = TensorPrimitives.Dot(prow, drow[..visible]);
                                    TensorPrimitives.Subtract(drow[..visible], dot, drow[..visible]);
                                    TensorPrimitives.Multiply(drow[..visible], prow, drow[..visible]);
                                    TensorPrimitives.Multiply(drow[..visible], scale, drow[..visible]);
                                    drow[visible..].Clear();
                                }
                                // dQ += dS·K ; dK += dSᵀ·Q
                                if (!gq.IsEmpty)
                                    ManagedGemm.Run(false, false, rows, d, keys, 1f, dsb, len, kb, layout.KvWidth, 1f, Rows(gq.Slice(qOffset, qSpan), r0, rows, layout.QueryWidth, d), layout.QueryWidth, parallel: false);
                                if (!gk.IsEmpty)
                                    ManagedGemm.Run(true, false, keys, d, rows, 1f, dsb, len, Rows(qh, r0, rows, layout.QueryWidth, d), layout.QueryWidth, 1f, Rows(gk.Slice(kvOffset, kvSpan), 0, keys, layout.KvWidth, d), layout.KvWidth, parallel: false);
                            }
                        }
                    }
                });
            });
        }
        return y;
    }

    /// <summary>Query rows per block in causal attention: each block multiplies only against the keys it can see.</summary>
    private const int CausalBlock = 32;

    /// <summary><paramref name="count"/> rows of <paramref name="width"/> used values from row <paramref name="first"/> of a strided view.</summary>
    private static Span<float> Rows(Span<float> view, int first, int count, int stride, int width) => view.Slice(first * stride, (count - 1) * stride + width);

    private static ReadOnlySpan<float> Rows(ReadOnlySpan<float> view, int first, int count, int stride, int width) => view.Slice(first * stride, (count - 1) * stride + width);
}
