using System.Numerics.Tensors;
using ToolSharp.Tensors.Autograd;
using ToolSharp.Tensors.Kernels;

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
        var probs = new float[probOffsets[batch]];

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
                    ManagedGemm.Run(false, true, len, len, d, scale, qh, layout.QueryWidth, kv, layout.KvWidth, 0f, p, len, parallel: false);
                    for (var i = 0; i < len; i++)
                    {
                        var row = p.Slice(i * len, len);
                        var visible = row[..(i + 1)];
                        var max = TensorPrimitives.Max(visible);
                        TensorPrimitives.Subtract(visible, max, visible);
                        TensorPrimitives.Exp(visible, visible);
                        TensorPrimitives.Multiply(visible, 1f / TensorPrimitives.Sum(visible), visible);
                        row[(i + 1)..].Clear();
                    }
                    var yh = ys.Slice(start * layout.QueryWidth + h * d, (len - 1) * layout.QueryWidth + d);
                    ManagedGemm.Run(false, false, len, d, len, 1f, p, len, vv, layout.KvWidth, 0f, yh, layout.QueryWidth, parallel: false);
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
                    var ds = new float[longest * longest];
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
                            var dyh = gy.Slice(qOffset, qSpan);
                            var dsh = ds.AsSpan(0, len * len);
                            // dP = dY·Vᵀ ; dV += Pᵀ·dY
                            ManagedGemm.Run(false, true, len, len, d, 1f, dyh, layout.QueryWidth, vv, layout.KvWidth, 0f, dsh, len, parallel: false);
                            if (!gv.IsEmpty)
                                ManagedGemm.Run(true, false, len, d, len, 1f, p, len, dyh, layout.QueryWidth, 1f, gv.Slice(kvOffset, kvSpan), layout.KvWidth, parallel: false);
                            // dS = P ∘ (dP − rowsum(P ∘ dP)) · scale (zero above the diagonal, where P is zero)
                            for (var i = 0; i < len; i++)
                            {
                                var prow = p.Slice(i * len, i + 1);
                                var drow = dsh.Slice(i * len, len);
                                var dot = TensorPrimitives.Dot(prow, drow[..(i + 1)]);
                                TensorPrimitives.Subtract(drow[..(i + 1)], dot, drow[..(i + 1)]);
                                TensorPrimitives.Multiply(drow[..(i + 1)], prow, drow[..(i + 1)]);
                                TensorPrimitives.Multiply(drow[..(i + 1)], scale, drow[..(i + 1)]);
                                drow[(i + 1)..].Clear();
                            }
                            // dQ += dS·K ; dK += dSᵀ·Q
                            if (!gq.IsEmpty)
                                ManagedGemm.Run(false, false, len, d, len, 1f, dsh, len, kv, layout.KvWidth, 1f, gq.Slice(qOffset, qSpan), layout.QueryWidth, parallel: false);
                            if (!gk.IsEmpty)
                                ManagedGemm.Run(true, false, len, d, len, 1f, dsh, len, qs.Slice(qOffset, qSpan), layout.QueryWidth, 1f, gk.Slice(kvOffset, kvSpan), layout.KvWidth, parallel: false);
                        }
                    }
                });
            });
        }
        return y;
    }
}
