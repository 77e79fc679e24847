using System.Numerics.Tensors;
using ToolSharp.Tensors.Autograd;
using ToolSharp.Tensors.Kernels;

namespace ToolSharp.Tensors.Ops;

public static partial class Ops
{
    /// <summary>Matrix product: [M,K]·[K,N] → [M,N], or batched [B,M,K]·[B,K,N] → [B,M,N].</summary>
    public static Tensor MatMul(Tensor a, Tensor b)
    {
        if (a.Rank == 2 && b.Rank == 2) return MatMulBatched(a.Reshape(1, a.Dim(0), a.Dim(1)), b.Reshape(1, b.Dim(0), b.Dim(1))).Reshape(a.Dim(0), b.Dim(1));
        if (a.Rank != 3 || b.Rank != 3 || a.Dim(0) != b.Dim(0) || a.Dim(2) != b.Dim(1))
            throw new ArgumentException($"MatMul: incompatible shapes [{string.Join(", ", a.Shape)}] and [{string.Join(", ", b.Shape)}]");
        return MatMulBatched(a, b);
    }

    private static Tensor MatMulBatched(Tensor a, Tensor b)
    {
        using var profile = OpProfiler.Measure("MatMul");
        int batch = a.Dim(0), m = a.Dim(1), k = a.Dim(2), n = b.Dim(2);
        var rec = Tape.IsRecording(a, b);
        var y = Output([batch, m, n], rec);
        for (var i = 0; i < batch; i++)
            Gemm.Run(false, false, m, n, k, 1f, a.Span.Slice(i * m * k, m * k), k, b.Span.Slice(i * k * n, k * n), n, 0f, y.Span.Slice(i * m * n, m * n), n);
        if (rec)
        {
            Tape.Current!.Record(() =>
            {
                using var backwardProfile = OpProfiler.Measure("MatMul.backward");
                for (var i = 0; i < batch; i++)
                {
                    var dy = y.Grad.Slice(i * m * n, m * n);
                    if (a.RequiresGrad) Gemm.Run(false, true, m, k, n, 1f, dy, n, b.Span.Slice(i * k * n, k * n), n, 1f, a.Grad.Slice(i * m * k, m * k), k);
                    if (b.RequiresGrad) Gemm.Run(true, false, k, n, m, 1f, a.Span.Slice(i * m * k, m * k), k, dy, n, 1f, b.Grad.Slice(i * k * n, k * n), n);
                }
            });
        }
        return y;
    }

    /// <summary>A linear layer with Hugging Face weight layout: x[N,In] · W[Out,In]ᵀ (+ bias[Out]) → [N,Out].</summary>
    public static Tensor Linear(Tensor x, Tensor weight, Tensor? bias = null)
    {
        using var profile = OpProfiler.Measure("Linear");
        int rows = x.Dim(0), inF = x.Dim(-1), outF = weight.Dim(0);
        if (weight.Dim(1) != inF) throw new ArgumentException($"Linear: input has {inF} features but {weight.Name ?? "weight"} is [{string.Join(", ", weight.Shape)}]");
        if (bias is not null && bias.Length != outF) throw new ArgumentException($"Linear: bias {bias.Name} has {bias.Length} values, expected {outF}");
        var rec = Tape.IsRecording(x, weight, bias);
        var y = Output([rows, outF], rec);
        Gemm.Run(false, true, rows, outF, inF, 1f, x.Span, inF, weight.Span, inF, 0f, y.Span, outF);
        if (bias is not null)
        {
            var bs = bias.Span;
            for (var r = 0; r < rows; r++) TensorPrimitives.Add(y.Span.Slice(r * outF, outF), bs, y.Span.Slice(r * outF, outF));
        }
        if (rec)
        {
            Tape.Current!.Record(() =>
            {
                using var backwardProfile = OpProfiler.Measure("Linear.backward");
                if (x.RequiresGrad) Gemm.Run(false, false, rows, inF, outF, 1f, y.Grad, outF, weight.Span, inF, 1f, x.Grad, inF);
                if (weight.RequiresGrad) Gemm.Run(true, false, outF, inF, rows, 1f, y.Grad, outF, x.Span, inF, 1f, weight.Grad, inF);
                if (bias is { RequiresGrad: true })
                {
                    var gb = bias.Grad;
                    for (var r = 0; r < rows; r++) TensorPrimitives.Add(gb, y.Grad.Slice(r * outF, outF), gb);
                }
            });
        }
        return y;
    }

    /// <summary>Transpose of a matrix (copies).</summary>
    public static Tensor Transpose(Tensor a)
    {
        if (a.Rank != 2) throw new ArgumentException($"Transpose: expected a matrix, found rank {a.Rank}");
        int m = a.Dim(0), n = a.Dim(1);
        var rec = Tape.IsRecording(a);
        var y = Output([n, m], rec);
        var src = a.Span;
        var dst = y.Span;
        for (var i = 0; i < m; i++)
            for (var j = 0; j < n; j++) dst[j * m + i] = src[i * n + j];
        if (rec)
        {
            Tape.Current!.Record(() =>
            {
                var ga = a.Grad;
                var gy = y.Grad;
                for (var i = 0; i < m; i++)
                    for (var j = 0; j < n; j++) ga[i * n + j] += gy[j * m + i];
            });
        }
        return y;
    }

    /// <summary>Rows of x[N,D] picked by index → [M,D]; the backward scatters (adds) back.</summary>
    public static Tensor SelectRows(Tensor x, int[] rows)
    {
        using var profile = OpProfiler.Measure("SelectRows");
        var d = x.Length / x.Dim(0);
        var rec = Tape.IsRecording(x);
        var y = Output([rows.Length, d], rec);
        for (var i = 0; i < rows.Length; i++) x.Span.Slice(rows[i] * d, d).CopyTo(y.Span.Slice(i * d, d));
        if (rec)
        {
            Tape.Current!.Record(() =>
            {
                using var backwardProfile = OpProfiler.Measure("SelectRows.backward");
                for (var i = 0; i < rows.Length; i++)
                    TensorPrimitives.Add(x.Grad.Slice(rows[i] * d, d), y.Grad.Slice(i * d, d), x.Grad.Slice(rows[i] * d, d));
            });
        }
        return y;
    }
}
