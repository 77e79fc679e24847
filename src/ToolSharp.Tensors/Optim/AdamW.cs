using System.Numerics.Tensors;
using ToolSharp.Tensors.Kernels;

namespace ToolSharp.Tensors.Optim;

/// <summary>Adam with decoupled weight decay (Loshchilov and Hutter) and bias correction, as torch.optim.AdamW computes it.</summary>
/// <remarks>
/// θ ← θ − lr·λ·θ (decoupled decay, skipped for non-decaying parameters), then m ← β1·m + (1−β1)·g,
/// v ← β2·v + (1−β2)·g², θ ← θ − lr·(m / (1−β1^t)) / (sqrt(v / (1−β2^t)) + ε). Moments are plain arrays keyed by
/// parameter name so checkpoints can save and restore them exactly.
/// </remarks>
public sealed class AdamW
{
    private readonly Tensor[] _parameters;
    private readonly float[][] _m;
    private readonly float[][] _v;

    public AdamW(IEnumerable<Tensor> parameters, AdamWOptions? options = null)
    {
        _parameters = parameters.ToArray();
        Options = options ?? new AdamWOptions();
        LearningRate = Options.LearningRate;
        _m = _parameters.Select(p => new float[p.Length]).ToArray();
        _v = _parameters.Select(p => new float[p.Length]).ToArray();
    }

    public AdamWOptions Options { get; }

    /// <summary>The rate used by the next <see cref="Step"/> (schedules set it every step).</summary>
    public float LearningRate { get; set; }

    /// <summary>Number of updates applied.</summary>
    public long StepCount { get; private set; }

    public IReadOnlyList<Tensor> Parameters => _parameters;

    /// <summary>Applies one update from the parameters' current gradients.</summary>
    public void Step()
    {
        StepCount++;
        var o = Options;
        var bc1 = 1 - Math.Pow(o.Beta1, StepCount);
        var bc2 = 1 - Math.Pow(o.Beta2, StepCount);
        var lr = LearningRate;
        var stepSize = (float)(lr / bc1);
        var bc2Sqrt = (float)Math.Sqrt(bc2);
        for (var index = 0; index < _parameters.Length; index++)
        {
            var p = _parameters[index];
            if (!p.HasGrad) continue;
            var decay = o.WeightDecay > 0 && o.Decays(p) ? 1 - lr * o.WeightDecay : 1f;
            var m = _m[index];
            var v = _v[index];
            var pi = index;
            EngineThreads.For(p.Length, (s, e) =>
            {
                var param = _parameters[pi].Span.Slice(s, e - s);
                var grad = _parameters[pi].Grad.Slice(s, e - s);
                var ms = m.AsSpan(s, e - s);
                var vs = v.AsSpan(s, e - s);
                for (var i = 0; i < param.Length; i++)
                {
                    var g = grad[i];
                    ms[i] = o.Beta1 * ms[i] + (1 - o.Beta1) * g;
                    vs[i] = o.Beta2 * vs[i] + (1 - o.Beta2) * g * g;
                    var denom = MathF.Sqrt(vs[i]) / bc2Sqrt + o.Epsilon;
                    param[i] = param[i] * decay - stepSize * ms[i] / denom;
                }
            }, minPerChunk: 65536);
        }
    }

    /// <summary>Zeroes every parameter's gradient.</summary>
    public void ZeroGrad()
    {
        foreach (var p in _parameters) p.ZeroGrad();
    }

    /// <summary>The first and second moments of a parameter, for checkpoints.</summary>
    public (float[] M, float[] V) Moments(int index) => (_m[index], _v[index]);

    /// <summary>Restores moments and the step count saved from an optimizer over the same parameters.</summary>
    public void Restore(long stepCount, IReadOnlyList<(float[] M, float[] V)> moments)
    {
        if (moments.Count != _parameters.Length) throw new ArgumentException($"optimizer state has {moments.Count} parameters, expected {_parameters.Length}");
        for (var i = 0; i < moments.Count; i++)
        {
            if (moments[i].M.Length != _m[i].Length || moments[i].V.Length != _v[i].Length)
                throw new ArgumentException($"optimizer state for {_parameters[i].Name ?? $"parameter {i}"} has {moments[i].M.Length} values, expected {_m[i].Length}");
            moments[i].M.CopyTo(_m[i], 0);
            moments[i].V.CopyTo(_v[i], 0);
        }
        StepCount = stepCount;
    }

    /// <summary>Global L2 norm of all gradients (computed in double, in a fixed order).</summary>
    public double GradientNorm()
    {
        double sum = 0;
        foreach (var p in _parameters)
        {
            if (!p.HasGrad) continue;
            var g = p.Grad;
            for (var i = 0; i < g.Length; i++) sum += (double)g[i] * g[i];
        }
        return Math.Sqrt(sum);
    }

    /// <summary>Scales gradients so their global norm is at most <paramref name="maxNorm"/>; returns the norm before clipping.</summary>
    public double ClipGradientNorm(double maxNorm)
    {
        var norm = GradientNorm();
        if (maxNorm > 0 && norm > maxNorm)
        {
            var scale = (float)(maxNorm / (norm + 1e-6));
            foreach (var p in _parameters)
                if (p.HasGrad) TensorPrimitives.Multiply(p.Grad, scale, p.Grad);
        }
        return norm;
    }
}
