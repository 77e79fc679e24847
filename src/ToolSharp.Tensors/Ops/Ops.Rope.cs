using ToolSharp.Tensors.Autograd;
using ToolSharp.Tensors.Kernels;

namespace ToolSharp.Tensors.Ops;

public static partial class Ops
{
    /// <summary>Applies rotary position embeddings to x[N, heads·headDim], row r at position positions[r].</summary>
    public static Tensor Rope(Tensor x, int[] positions, RotaryEmbedding rope)
    {
        using var profile = OpProfiler.Measure("Rope");
        var hd = rope.HeadDim;
        var rows = x.Dim(0);
        var width = x.Length / rows;
        if (width % hd != 0) throw new ArgumentException($"Rope: row width {width} is not a multiple of head dimension {hd}");
        if (positions.Length != rows) throw new ArgumentException($"Rope: {positions.Length} positions for {rows} rows");
        rope.EnsurePositions(positions.Max() + 1);
        var heads = width / hd;
        var half = rope.RotaryDim / 2;
        var rec = Tape.IsRecording(x);
        var y = Output(x.Shape, rec);
        EngineThreads.For(rows, (s, e) =>
        {
            var xs = x.Span;
            var ys = y.Span;
            for (var r = s; r < e; r++)
            {
                var cos = rope.Cos(positions[r]);
                var sin = rope.Sin(positions[r]);
                for (var h = 0; h < heads; h++)
                {
                    var b = r * width + h * hd;
                    for (var i = 0; i < half; i++)
                    {
                        float x1 = xs[b + i], x2 = xs[b + i + half];
                        ys[b + i] = x1 * cos[i] - x2 * sin[i];
                        ys[b + i + half] = x2 * cos[i] + x1 * sin[i];
                    }
                    for (var i = 2 * half; i < hd; i++) ys[b + i] = xs[b + i];
                }
            }
        }, minPerChunk: 32);
        if (rec)
        {
            Tape.Current!.Record(() =>
            {
                using var backwardProfile = OpProfiler.Measure("Rope.backward");
                PrepareGrads(y, x);
                EngineThreads.For(rows, (s, e) =>
                {
                    var gx = x.Grad;
                    var gy = y.Grad;
                    for (var r = s; r < e; r++)
                    {
                        var cos = rope.Cos(positions[r]);
                        var sin = rope.Sin(positions[r]);
                        for (var h = 0; h < heads; h++)
                        {
                            var b = r * width + h * hd;
                            for (var i = 0; i < half; i++)
                            {
                                float d1 = gy[b + i], d2 = gy[b + i + half];
                                gx[b + i] += d1 * cos[i] + d2 * sin[i];
                                gx[b + i + half] += -d1 * sin[i] + d2 * cos[i];
                            }
                            for (var i = 2 * half; i < hd; i++) gx[b + i] += gy[b + i];
                        }
                    }
                }, minPerChunk: 32);
            });
        }
        return y;
    }
}
