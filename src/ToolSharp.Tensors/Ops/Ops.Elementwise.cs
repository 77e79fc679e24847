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
            Span<float> sigmoid = stackalloc float[SwiGluBlock];
            for (var i = s; i < e; i += SwiGluBlock)
            {
                var len = Math.Min(SwiGluBlock, e - i);
                var g = gate.Span.Slice(i, len);
                var o = y.Span.Slice(i, len);
                var sig = sigmoid[..len];
                TensorPrimitives.Sigmoid(g, sig);
                TensorPrimitives.Multiply(g, sig, o);
                TensorPrimitives.Multiply(o, up.Span.Slice(i, len), o);
            }
        }, minPerChunk: 16384);
        if (rec)
        {
            Tape.Current!.Record(() =>
            {
                using var backwardProfile = OpProfiler.Measure("SwiGlu.backward");
                PrepareGrads(y, gate, up);
                Kernels.EngineThreads.For(n, (s, e) =>
                {
                    Span<float> sigmoid = stackalloc float[SwiGluBlock];
                    Span<float> scratch = stackalloc float[SwiGluBlock];
                    for (var i = s; i < e; i += SwiGluBlock)
                    {
                        var len = Math.Min(SwiGluBlock, e - i);
                        var g = gate.Span.Slice(i, len);
                        var gy = y.Grad.Slice(i, len);
                        var sig = sigmoid[..len];
                        var t = scratch[..len];
                        TensorPrimitives.Sigmoid(g, sig);
                        TensorPrimitives.Multiply(g, sig, t); // silu(g)
                        if (up.RequiresGrad) TensorPrimitives.MultiplyAdd(gy, t, up.Grad.Slice(i, len), up.Grad.Slice(i, len));
                        if (!gate.RequiresGrad) continue;
                        // d silu(g)/dg = σ(g)·(1 + g·(1 − σ(g))) = σ(g) + silu(g)·(1 − σ(g))
                        TensorPrimitives.Subtract(1f, sig, t);
                        TensorPrimitives.MultiplyAdd(t, g, 1f, t);
                        TensorPrimitives.Multiply(t, sig, t);
                        TensorPrimitives.Multiply(t, up.Span.Slice(i, len), t);
                        TensorPrimitives.MultiplyAdd(gy, t, gate.Grad.Slice(i, len), gate.Grad.Slice(i, len));
                    }
                }, minPerChunk: 16384);
            });
        }
        return y;
    }

    /// <summary>Elements per vectorised SwiGLU pass: the sigmoid scratch stays on the stack and in L1.</summary>
    private const int SwiGluBlock = 1024;

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
