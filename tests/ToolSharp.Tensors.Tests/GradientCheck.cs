using ToolSharp.Core.Randomness;
using ToolSharp.Tensors.Autograd;
using ToolSharp.Tensors.Memory;

namespace ToolSharp.Tensors.Tests;

/// <summary>Compares an op's backward with central finite differences of L = Σ r ⊙ f(inputs) for a fixed random r.</summary>
/// <remarks>The forward runs in float32; differences are taken in double with a step large enough that rounding
/// (≈1e-7 relative) stays far below the tolerance, and small enough that curvature error (O(h²)) does too.</remarks>
internal static class GradientCheck
{
    public static Tensor Random(SeededRandom rng, params int[] shape)
    {
        var t = Tensor.Zeros(shape);
        var s = t.Span;
        for (var i = 0; i < s.Length; i++) s[i] = (float)rng.NextGaussian();
        t.RequiresGrad = true;
        return t;
    }

    public static void Check(Func<Tensor> f, Tensor[] inputs, double h = 1e-2, double rtol = 2e-2, double atol = 2e-3, int maxElements = 60, ulong seed = 11)
    {
        var rng = new SeededRandom(seed);
        float[] r;
        float[][] analytic;
        using (new TensorScope())
        using (var tape = new Tape())
        {
            foreach (var x in inputs) x.ZeroGrad();
            var y = f();
            r = new float[y.Length];
            for (var i = 0; i < r.Length; i++) r[i] = (float)rng.NextGaussian();
            r.CopyTo(y.Grad);
            tape.Backward();
            analytic = inputs.Select(x => x.Grad.ToArray()).ToArray();
        }

        double Loss()
        {
            using var scope = new TensorScope();
            using var _ = Tape.NoGrad();
            var y = f();
            double sum = 0;
            var ys = y.Span;
            for (var i = 0; i < ys.Length; i++) sum += (double)r[i] * ys[i];
            return sum;
        }

        for (var t = 0; t < inputs.Length; t++)
        {
            var x = inputs[t];
            var step = Math.Max(1, x.Length / maxElements);
            for (var i = 0; i < x.Length; i += step)
            {
                var original = x.Span[i];
                x.Span[i] = (float)(original + h);
                var plus = Loss();
                x.Span[i] = (float)(original - h);
                var minus = Loss();
                x.Span[i] = original;
                var numeric = (plus - minus) / (2 * h);
                var a = analytic[t][i];
                var tol = atol + rtol * Math.Max(Math.Abs(a), Math.Abs(numeric));
                if (Math.Abs(a - numeric) > tol)
                    throw new ShouldAssertException($"gradient of input {t} ({x}) element {i}: analytic {a:G6} vs numeric {numeric:G6}");
            }
        }
    }
}
