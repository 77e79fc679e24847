using System.Numerics.Tensors;
using ToolSharp.Tensors.Autograd;
using ToolSharp.Tensors.Kernels;

namespace ToolSharp.Tensors.Ops;

public static partial class Ops
{
    /// <summary>From logits[M, V] and target ids: [M, 2] holding log p(target) in column 0 and the entropy of the
    /// distribution in column 1, computed with a stable log-sum-exp.</summary>
    /// <remarks>
    /// Losses are built from these two columns by seeding their gradients: cross-entropy weights column 0 by −w_t, a
    /// policy-gradient loss by −A_t·ρ_t, an entropy bonus weights column 1. The backward is
    /// dz = g_logp·(onehot − p) − g_H·p·(log p + H).
    /// </remarks>
    public static Tensor TokenLogProbs(Tensor logits, int[] targets)
    {
        using var profile = OpProfiler.Measure("TokenLogProbs");
        int m = logits.Dim(0), vocab = logits.Dim(1);
        if (targets.Length != m) throw new ArgumentException($"TokenLogProbs: {targets.Length} targets for {m} rows");
        var rec = Tape.IsRecording(logits);
        var y = Output([m, 2], rec);
        var lse = new float[m];
        EngineThreads.For(m, (s, e) =>
        {
            var z = logits.Span;
            var ys = y.Span;
            var p = new float[vocab];
            for (var r = s; r < e; r++)
            {
                var row = z.Slice(r * vocab, vocab);
                var t = targets[r];
                if ((uint)t >= (uint)vocab) throw new ArgumentOutOfRangeException(nameof(targets), $"target id {t} at row {r} is outside the vocabulary of {vocab}");
                var max = TensorPrimitives.Max(row);
                TensorPrimitives.Subtract(row, max, p);
                TensorPrimitives.Exp(p, p);
                var sum = TensorPrimitives.Sum(p);
                var logZ = max + MathF.Log(sum);
                lse[r] = logZ;
                // H = logZ − Σ p_j z_j
                var expected = TensorPrimitives.Dot(p, row) / sum;
                ys[2 * r] = row[t] - logZ;
                ys[2 * r + 1] = logZ - expected;
            }
        }, minPerChunk: 8);
        if (rec)
        {
            Tape.Current!.Record(() =>
            {
                using var backwardProfile = OpProfiler.Measure("TokenLogProbs.backward");
                PrepareGrads(y, logits);
                EngineThreads.For(m, (s, e) =>
                {
                    var z = logits.Span;
                    var gz = logits.Grad;
                    var gy = y.Grad;
                    var ys = y.Span;
                    var p = new float[vocab];
                    for (var r = s; r < e; r++)
                    {
                        float gl = gy[2 * r], gh = gy[2 * r + 1];
                        if (gl == 0 && gh == 0) continue;
                        var row = z.Slice(r * vocab, vocab);
                        var dz = gz.Slice(r * vocab, vocab);
                        var entropy = ys[2 * r + 1];
                        TensorPrimitives.Subtract(row, lse[r], p); // log p
                        for (var j = 0; j < vocab; j++)
                        {
                            var logp = p[j];
                            var pj = MathF.Exp(logp);
                            dz[j] += -gl * pj - gh * pj * (logp + entropy);
                        }
                        dz[targets[r]] += gl;
                    }
                }, minPerChunk: 8);
            });
        }
        return y;
    }
}
