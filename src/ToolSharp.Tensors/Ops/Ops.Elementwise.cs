using System.Numerics.Tensors;
using ToolSharp.Tensors.Autograd;
using ToolSharp.Tensors.Kernels;

namespace ToolSharp.Tensors.Ops;

public static partial class Ops
{
    /// <summary>a + b (same shape).</summary>
    public static Tensor Add(Tensor a, Tensor b)
    {
        using var profile = OpProfiler.Measure("Add");
        RequireSameShape(a, b, "Add");
        var rec = Tape.IsRecording(a, b);
        var y = Output(a.Shape, rec);
        TensorPrimitives.Add(a.Span, b.Span, y.Span);
        if (rec)
        {
            Tape.Current!.Record(() =>
            {
                using var backwardProfile = OpProfiler.Measure("Add.backward");
                if (a.RequiresGrad) TensorPrimitives.Add(a.Grad, y.Grad, a.Grad);
                if (b.RequiresGrad) TensorPrimitives.Add(b.Grad, y.Grad, b.Grad);
            });
        }
        return y;
    }

    /// <summary>a ⊙ b (same shape).</summary>
    public static Tensor Mul(Tensor a, Tensor b)
    {
        RequireSameShape(a, b, "Mul");
        var rec = Tape.IsRecording(a, b);
        var y = Output(a.Shape, rec);
        TensorPrimitives.Multiply(a.Span, b.Span, y.Span);
        if (rec)
        {
            Tape.Current!.Record(() =>
            {
                if (a.RequiresGrad) TensorPrimitives.MultiplyAdd(y.Grad, b.Span, a.Grad, a.Grad);
                if (b.RequiresGrad) TensorPrimitives.MultiplyAdd(y.Grad, a.Span, b.Grad, b.Grad);
            });
        }
        return y;
    }

    /// <summary>s · a.</summary>
    public static Tensor Scale(Tensor a, float s)
    {
        var rec = Tape.IsRecording(a);
        var y = Output(a.Shape, rec);
        TensorPrimitives.Multiply(a.Span, s, y.Span);
        if (rec) Tape.Current!.Record(() => TensorPrimitives.MultiplyAdd(y.Grad, s, a.Grad, a.Grad));
        return y;
    }

    /// <summary>SiLU: x·σ(x).</summary>
    public static Tensor Silu(Tensor x)
    {
        var rec = Tape.IsRecording(x);
        var y = Output(x.Shape, rec);
        var xs = x.Span;
        var ys = y.Span;
        for (var i = 0; i < xs.Length; i++) ys[i] = xs[i] / (1f + MathF.Exp(-xs[i]));
        if (rec)
        {
            Tape.Current!.Record(() =>
            {
                var gx = x.Grad;
                var gy = y.Grad;
                var xv = x.Span;
                for (var i = 0; i < xv.Length; i++)
                {
                    var s = 1f / (1f + MathF.Exp(-xv[i]));
                    gx[i] += gy[i] * s * (1f + xv[i] * (1f - s));
                }
            });
        }
        return y;
    }

    /// <summary>SwiGLU: silu(gate) ⊙ up, fused so the intermediate is never stored.</summary>
    public static Tensor SwiGlu(Tensor gate, Tensor up)
    {
        using var profile = OpProfiler.Measure("SwiGlu");
        RequireSameShape(gate, up, "SwiGlu");
        var rec = Tape.IsRecording(gate, up);
        var y = Output(gate.Shape, rec);
        var n = gate.Length;
        Kernels.EngineThreads.For(n, (s, e) =>
        {
            var g = gate.Span;
            var u = up.Span;
            var o = y.Span;
            for (var i = s; i < e; i++) o[i] = g[i] / (1f + MathF.Exp(-g[i])) * u[i];
        }, minPerChunk: 16384);
        if (rec)
        {
            Tape.Current!.Record(() =>
            {
                using var backwardProfile = OpProfiler.Measure("SwiGlu.backward");
                PrepareGrads(y, gate, up);
                Kernels.EngineThreads.For(n, (s, e) =>
                {
                    var g = gate.Span;
                    var u = up.Span;
                    var gy = y.Grad;
                    var gg = gate.RequiresGrad ? gate.Grad : default;
                    var gu = up.RequiresGrad ? up.Grad : default;
                    for (var i = s; i < e; i++)
                    {
                        var sig = 1f / (1f + MathF.Exp(-g[i]));
                        var silu = g[i] * sig;
                        if (!gu.IsEmpty) gu[i] += gy[i] * silu;
                        if (!gg.IsEmpty) gg[i] += gy[i] * u[i] * sig * (1f + g[i] * (1f - sig));
                    }
                }, minPerChunk: 16384);
            });
        }
        return y;
    }

    /// <summary>Sum of all elements, as a tensor of shape [1].</summary>
    public static Tensor Sum(Tensor x)
    {
        var rec = Tape.IsRecording(x);
        var y = Output([1], rec);
        y.Span[0] = TensorPrimitives.Sum(x.Span);
        if (rec) Tape.Current!.Record(() => TensorPrimitives.Add(x.Grad, y.Grad[0], x.Grad));
        return y;
    }
}
