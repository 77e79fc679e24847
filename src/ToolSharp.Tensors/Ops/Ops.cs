using ToolSharp.Tensors.Autograd;

namespace ToolSharp.Tensors.Ops;

/// <summary>Differentiable operations. Each creates its output from the current scope and, when recording, registers a
/// hand-written backward on the current <see cref="Tape"/>. Files Ops.*.cs hold one op family each.</summary>
public static partial class Ops
{
    /// <summary>A fresh output; marked as needing gradients when the op records.</summary>
    /// <summary>Allocates the gradients a backward kernel will touch before it fans out over threads.</summary>
    private static void PrepareGrads(params Tensor[] tensors)
    {
        foreach (var t in tensors) t.EnsureGrad();
    }

    private static Tensor Output(int[] shape, bool recording, bool zeroed = false)
    {
        var t = Tensor.Temporary(shape, zeroed);
        t.RequiresGrad = recording;
        return t;
    }

    private static void RequireShape(Tensor t, string what, params int[] shape)
    {
        if (t.Rank != shape.Length || !t.Shape.SequenceEqual(shape))
            throw new ArgumentException($"{what}: expected shape [{string.Join(", ", shape)}], found [{string.Join(", ", t.Shape)}]{(t.Name is null ? "" : $" ({t.Name})")}");
    }

    private static void RequireSameShape(Tensor a, Tensor b, string op)
    {
        if (!a.Shape.SequenceEqual(b.Shape))
            throw new ArgumentException($"{op}: shapes differ: [{string.Join(", ", a.Shape)}] vs [{string.Join(", ", b.Shape)}]");
    }
}
