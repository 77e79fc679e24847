using System.Numerics.Tensors;
using Tensor = ToolSharp.Tensors.Tensor;
using ToolSharp.Tensors.Autograd;
using ToolSharp.Tensors.Kernels;
using ToolSharp.Tensors.Memory;
using ToolSharp.Tensors.Ops;

namespace ToolSharp.Models.Generation;

/// <summary>The inference forward pass: feeds new tokens of several sequences at once, extending their KV caches, and
/// returns logits for each sequence's last fed token.</summary>
/// <remarks>
/// Prefill (a whole prompt), decoding (one token) and appending tool results (a few tokens) are the same operation
/// with different counts, so one code path serves all three. Projections of all sequences' new rows run as one GEMM;
/// attention runs per (sequence, key/value head) over that sequence's cache.
/// </remarks>
internal static class CachedForward
{
    public static float[][] Run(Transformer model, IReadOnlyList<KvCache> caches, IReadOnlyList<IReadOnlyList<int>> newTokens)
    {
        var c = model.Config;
        var counts = newTokens.Select(t => t.Count).ToArray();
        if (counts.Any(n => n == 0)) throw new ArgumentException("every sequence needs at least one new token");
        var rowStarts = new int[counts.Length + 1];
        for (var s = 0; s < counts.Length; s++) rowStarts[s + 1] = rowStarts[s] + counts[s];
        var rows = rowStarts[^1];
        var ids = newTokens.SelectMany(t => t).ToArray();
        var positions = new int[rows];
        for (var s = 0; s < counts.Length; s++)
            for (var i = 0; i < counts[s]; i++) positions[rowStarts[s] + i] = caches[s].Length + i;

        for (var s = 0; s < counts.Length; s++) caches[s].Reserve(counts[s]);
        using var scope = new TensorScope();
        using var noGrad = Tape.NoGrad();
        var eps = c.RmsNormEps;
        var x = Ops.Embedding(model.Embed, ids);
        for (var l = 0; l < model.Layers.Count; l++)
        {
            var layer = l;
            x = model.Layers[l].Forward(x, positions, model.Rope, eps, (q, k, v) =>
            {
                var kvWidth = c.NumKvHeads * c.HeadDim;
                for (var s = 0; s < counts.Length; s++)
                    caches[s].Write(layer, k.Span.Slice(rowStarts[s] * kvWidth), v.Span.Slice(rowStarts[s] * kvWidth), counts[s]);
                return Attend(q, caches, rowStarts, counts, layer, c.NumHeads, c.NumKvHeads, c.HeadDim);
            });
        }
        for (var s = 0; s < counts.Length; s++) caches[s].Advance(counts[s]);

        var last = Enumerable.Range(0, counts.Length).Select(s => rowStarts[s + 1] - 1).ToArray();
        var hidden = Ops.RmsNorm(Ops.SelectRows(x, last), model.FinalNorm, eps);
        var logits = Ops.Linear(hidden, model.LmHead);
        var vocab = c.VocabSize;
        return Enumerable.Range(0, counts.Length).Select(s => logits.Span.Slice(s * vocab, vocab).ToArray()).ToArray();
    }

    private static Tensor Attend(Tensor q, IReadOnlyList<KvCache> caches, int[] rowStarts, int[] counts, int layer, int heads, int kvHeads, int d)
    {
        var width = heads * d;
        var kvWidth = kvHeads * d;
        var group = heads / kvHeads;
        var scale = 1f / MathF.Sqrt(d);
        var y = Tensor.Temporary([rowStarts[^1], width], zeroed: true);
        EngineThreads.For(counts.Length * kvHeads, (start, end) =>
        {
            var qs = q.Span;
            var ys = y.Span;
            var scores = new float[caches.Max(cc => cc.Length + counts.Max())];
            for (var task = start; task < end; task++)
            {
                var s = task / kvHeads;
                var kvh = task % kvHeads;
                var total = caches[s].Length + counts[s]; // rows written this step are already in the cache
                var keys = caches[s].Keys(layer, total);
                var values = caches[s].Values(layer, total);
                for (var i = 0; i < counts[s]; i++)
                {
                    var visible = caches[s].Length + i + 1;
                    var row = rowStarts[s] + i;
                    for (var g = 0; g < group; g++)
                    {
                        var h = kvh * group + g;
                        var qi = qs.Slice(row * width + h * d, d);
                        var max = float.NegativeInfinity;
                        for (var j = 0; j < visible; j++)
                        {
                            var sc = TensorPrimitives.Dot(qi, keys.Slice(j * kvWidth + kvh * d, d)) * scale;
                            scores[j] = sc;
                            if (sc > max) max = sc;
                        }
                        var sum = 0f;
                        for (var j = 0; j < visible; j++)
                        {
                            scores[j] = MathF.Exp(scores[j] - max);
                            sum += scores[j];
                        }
                        var yi = ys.Slice(row * width + h * d, d);
                        var inv = 1f / sum;
                        for (var j = 0; j < visible; j++)
                            TensorPrimitives.MultiplyAdd(values.Slice(j * kvWidth + kvh * d, d), scores[j] * inv, yi, yi);
                    }
                }
            }
        });
        return y;
    }
}
