using ToolSharp.Tensors.Optim;

namespace ToolSharp.Tensors.Tests;

public class OptimTests
{
    [Fact]
    public void AdamW_matches_hand_computed_steps()
    {
        var p = Tensor.FromArray([1.0f, -2.0f], 1, 2); // rank 2: decays
        p.RequiresGrad = true;
        var opt = new AdamW([p], new AdamWOptions(LearningRate: 0.1f, WeightDecay: 0.5f));
        p.Grad[0] = 0.5f;
        p.Grad[1] = -1f;
        opt.Step();
        // t=1: m = 0.1 g, v = 0.001 g²; m̂ = g, v̂ = g² → update = lr·g/(|g|+ε) = ±0.1; decay first: θ·(1 − 0.05)
        p.Span[0].ShouldBe(1.0f * 0.95f - 0.1f, 1e-6f);
        p.Span[1].ShouldBe(-2.0f * 0.95f + 0.1f, 1e-6f);
        opt.Step(); // same gradient again: m̂ = g, v̂ = g² → same step
        p.Span[0].ShouldBe((1.0f * 0.95f - 0.1f) * 0.95f - 0.1f, 1e-5f);
    }

    [Fact]
    public void Vectors_do_not_decay_by_default()
    {
        var bias = Tensor.FromArray([1f], 1);
        bias.RequiresGrad = true;
        var opt = new AdamW([bias], new AdamWOptions(LearningRate: 0.1f, WeightDecay: 0.5f));
        bias.Grad[0] = 0;
        opt.Step();
        bias.Span[0].ShouldBe(1f);
    }

    [Fact]
    public void Clipping_scales_to_the_max_norm()
    {
        var a = Tensor.FromArray([3f, 4f], 2);
        a.RequiresGrad = true;
        a.Grad[0] = 3;
        a.Grad[1] = 4;
        var opt = new AdamW([a]);
        opt.ClipGradientNorm(1.0).ShouldBe(5.0, 1e-9);
        opt.GradientNorm().ShouldBe(1.0, 1e-5);
    }

    [Fact]
    public void Schedules_warm_up_and_decay()
    {
        var cos = new LearningRateSchedule(1f, WarmupSteps: 10, TotalSteps: 110, ScheduleShape.Cosine, MinRatio: 0f);
        cos.At(0).ShouldBe(0.1f, 1e-6f);
        cos.At(9).ShouldBe(1f, 1e-6f);
        cos.At(60).ShouldBe(0.5f, 1e-6f);
        cos.At(110).ShouldBe(0f, 1e-6f);
        new LearningRateSchedule(2f, 0, 100, ScheduleShape.Linear, 0.5f).At(50).ShouldBe(1.5f, 1e-6f);
        var wsd = new LearningRateSchedule(1f, WarmupSteps: 10, TotalSteps: 110, ScheduleShape.Wsd, MinRatio: 0.1f);
        wsd.At(50).ShouldBe(1f, 1e-6f);
        wsd.At(90).ShouldBe(1f, 1e-6f); // stable until the last fifth of the 100 post-warm-up steps
        wsd.At(100).ShouldBe(0.55f, 1e-6f);
        wsd.At(110).ShouldBe(0.1f, 1e-6f);
    }
}
