using System.Numerics.Tensors;
using ToolSharp.Tensors.Autograd;
using ToolSharp.Tensors.Kernels;

namespace ToolSharp.Tensors.Ops;

public static partial class Ops
{
    /// <summary>Looks up rows of weight[V,D] for token ids → [N,D]; the backward scatter-adds into the weight gradient.</summary>
    public static Tensor Embedding(Tensor weight, ReadOnlySpan<int> ids)
    {
        using var profile = OpProfiler.Measure("Embedding");
        int vocab = weight.Dim(0), d = weight.Dim(1);
        var rec = Tape.IsRecording(weight);
        var y = Output([ids.Length, d], rec);
        var idArray = ids.ToArray();
        for (var i = 0; i < idArray.Length; i++)
        {
            var id = idArray[i];
            if ((uint)id >= (uint)vocab) throw new ArgumentOutOfRangeException(nameof(ids), $"token id {id} at position {i} is outside the vocabulary of {vocab}");
            weight.Span.Slice(id * d, d).CopyTo(y.Span.Slice(i * d, d));
        }
        if (rec)
        {
            // Sequential on purpose: rows repeat, and a fixed order keeps the sum bit-reproducible.
            Tape.Current!.Record(() =>
            {
                using var backwardProfile = OpProfiler.Measure("Embedding.backward");
                var gw = weight.Grad;
                var gy = y.Grad;
                for (var i = 0; i < idArray.Length; i++)
                    TensorPrimitives.Add(gw.Slice(idArray[i] * d, d), gy.Slice(i * d, d), gw.Slice(idArray[i] * d, d));
            });
        }
        return y;
    }
}
