using System.Numerics.Tensors;
using ToolSharp.Tensors.Autograd;
using ToolSharp.Tensors.Kernels;

namespace ToolSharp.Tensors.Ops;

public static partial class Ops
{
    /// <summary>Rows per partial sum of RMSNorm's weight gradient.</summary>
    private const int GradientBlock = 64;

    /// <summary>RMSNorm over the last dimension: x / sqrt(mean(x²) + eps) ⊙ w, as Llama and Qwen compute it in float32.</summary>
    /// <remarks>x may be [N, D] or [N, H·D] with w of length D (Qwen3's per-head q/k norm): rows are length-D slices.</remarks>
    public static Tensor RmsNorm(Tensor x, Tensor weight, float eps)
    {
        using var profile = OpProfiler.Measure("RmsNorm");
        var d = weight.Length;
        if (x.Length % d != 0) throw new ArgumentException($"RmsNorm: {x} is not a whole number of rows of {d} ({weight.Name})");
        var rows = x.Length / d;
        var rec = Tape.IsRecording(x, weight);
        var y = Output(x.Shape, rec);
        var rstd = rec ? new float[rows] : null;
        EngineThreads.For(rows, (s, e) =>
        {
            var xs = x.Span;
            var ys = y.Span;
            var w = weight.Span;
            for (var r = s; r < e; r++)
            {
                var row = xs.Slice(r * d, d);
                var ms = TensorPrimitives.Dot(row, row) / d;
                var inv = 1f / MathF.Sqrt(ms + eps);
                if (rstd is not null) rstd[r] = inv;
                var outRow = ys.Slice(r * d, d);
                TensorPrimitives.Multiply(row, inv, outRow);
                TensorPrimitives.Multiply(outRow, w, outRow);
            }
        }, minPerChunk: 64);
        if (rec)
        {
            Tape.Current!.Record(() =>
            {
                using var backwardProfile = OpProfiler.Measure("RmsNorm.backward");
                PrepareGrads(y, x);
                // The weight gradient is summed per fixed block of rows, then over blocks in order, so it does not
                // depend on how many threads share the blocks.
                var blocks = (rows + GradientBlock - 1) / GradientBlock;
                var partial = weight.RequiresGrad ? new float[blocks * d] : null;
                EngineThreads.For(blocks, (bs, be) =>
                {
                    var xs = x.Span;
                    var gy = y.Grad;
                    var w = weight.Span;
                    var gx = x.RequiresGrad ? x.Grad : default;
                    var g = new float[d];
                    for (var r = bs * GradientBlock; r < Math.Min(rows, be * GradientBlock); r++)
                    {
                        var row = xs.Slice(r * d, d);
                        var dy = gy.Slice(r * d, d);
                        var inv = rstd![r];
                        if (partial is not null)
                        {
                            // dw += dy ⊙ x·rstd
                            var pw = partial.AsSpan(r / GradientBlock * d, d);
                            TensorPrimitives.Multiply(dy, row, g);
                            TensorPrimitives.MultiplyAdd(g, inv, pw, pw);
                        }
                        if (!gx.IsEmpty)
                        {
                            // dx += rstd·g − rstd³·(g·x)/d · x, with g = dy ⊙ w
                            TensorPrimitives.Multiply(dy, w, g);
                            var dot = TensorPrimitives.Dot(g, row);
                            var coef = inv * inv * inv * dot / d;
                            var dx = gx.Slice(r * d, d);
                            TensorPrimitives.MultiplyAdd(g, inv, dx, dx);
                            TensorPrimitives.MultiplyAdd(row, -coef, dx, dx);
                        }
                    }
                });
                if (partial is not null)
                {
                    var gw = weight.Grad;
                    for (var b = 0; b < blocks; b++) TensorPrimitives.Add(gw, partial.AsSpan(b * d, d), gw);
                }
            });
        }
        return y;
    }
}
