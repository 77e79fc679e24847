using System.Numerics.Tensors;
using ToolSharp.Tensors.Autograd;
using ToolSharp.Tensors.Kernels;

namespace ToolSharp.Tensors.Ops;

public static partial class Ops
{
    /// <summary>Causal self-attention with grouped-query heads and right padding: softmax(q·kᵀ/√d + mask)·v per head.</summary>
    /// <remarks>
    /// q is [N, H·d], k and v are [N, KV·d]; the layout says which rows form each sequence. The softmax is fused with
    /// the score computation and the probabilities are kept for the backward pass (O(T²) per head). Work is split over
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
                        var start = layout.Starts[b];
                for (var g = 0; g < group; g++)
                {
                    var h = kvh * group + g;
                    var pBase = (int)(probOffsets[b] + (long)h * len * len);
                    for (var i = 0; i < len; i++)
                    {
                        var qi = qs.Slice((start + i) * layout.QueryWidth + h * d, d);
                        var p = probs.AsSpan(pBase + i * len, i + 1);
                        var max = float.NegativeInfinity;
                        for (var j = 0; j <= i; j++)
                        {
                            var sc = TensorPrimitives.Dot(qi, ks.Slice((start + j) * layout.KvWidth + kvh * d, d)) * scale;
                            p[j] = sc;
                            if (sc > max) max = sc;
                        }
                        var sum = 0f;
                        for (var j = 0; j <= i; j++)
                        {
                            p[j] = MathF.Exp(p[j] - max);
                            sum += p[j];
                        }
                        TensorPrimitives.Multiply(p, 1f / sum, p);
                        var yi = ys.Slice((start + i) * layout.QueryWidth + h * d, d);
                        for (var j = 0; j <= i; j++)
                            TensorPrimitives.MultiplyAdd(vs.Slice((start + j) * layout.KvWidth + kvh * d, d), p[j], yi, yi);
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
                EngineThreads.For(batch * kvHeads, (s, e) =>
                {
                    var qs = q.Span;
                    var ks = k.Span;
                    var vs = v.Span;
                    var gy = y.Grad;
                    var gq = q.RequiresGrad ? q.Grad : default;
                    var gk = k.RequiresGrad ? k.Grad : default;
                    var gv = v.RequiresGrad ? v.Grad : default;
                    var dp = new float[layout.Lengths.Length == 0 ? 0 : layout.Lengths.Max()];
                    for (var task = s; task < e; task++)
                    {
                        var b = task / kvHeads;
                        var kvh = task % kvHeads;
                        var len = layout.Lengths[b];
                        var start = layout.Starts[b];
                        for (var g = 0; g < group; g++)
                        {
                            var h = kvh * group + g;
                            var pBase = (int)(probOffsets[b] + (long)h * len * len);
                            for (var i = 0; i < len; i++)
                            {
                                var p = probs.AsSpan(pBase + i * len, i + 1);
                                var dyi = gy.Slice((start + i) * layout.QueryWidth + h * d, d);
                                // dP_ij = dy_i·v_j ; dV_j += P_ij dy_i
                                var dot = 0f;
                                for (var j = 0; j <= i; j++)
                                {
                                    var vj = vs.Slice((start + j) * layout.KvWidth + kvh * d, d);
                                    dp[j] = TensorPrimitives.Dot(dyi, vj);
                                    dot += p[j] * dp[j];
                                    if (!gv.IsEmpty)
                                    {
                                        var gvj = gv.Slice((start + j) * layout.KvWidth + kvh * d, d);
                                        TensorPrimitives.MultiplyAdd(dyi, p[j], gvj, gvj);
                                    }
                                }
                                // dS_ij = P_ij (dP_ij − Σ P dP); dQ_i += scale Σ dS_ij k_j; dK_j += scale dS_ij q_i
                                var qi = qs.Slice((start + i) * layout.QueryWidth + h * d, d);
                                var gqi = gq.IsEmpty ? default : gq.Slice((start + i) * layout.QueryWidth + h * d, d);
                                for (var j = 0; j <= i; j++)
                                {
                                    var ds = p[j] * (dp[j] - dot) * scale;
                                    if (ds == 0) continue;
                                    var kOffset = (start + j) * layout.KvWidth + kvh * d;
                                    if (!gqi.IsEmpty) TensorPrimitives.MultiplyAdd(ks.Slice(kOffset, d), ds, gqi, gqi);
                                    if (!gk.IsEmpty)
                                    {
                                        var gkj = gk.Slice(kOffset, d);
                                        TensorPrimitives.MultiplyAdd(qi, ds, gkj, gkj);
                                    }
                                }
                            }
                        }
                    }
                });
            });
        }
        return y;
    }
}
