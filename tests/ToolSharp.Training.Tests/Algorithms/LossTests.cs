using ToolSharp.Training.Losses;

namespace ToolSharp.Training.Tests.Algorithms;

public class LossTests
{
    private static readonly PpoClipLoss Ppo = new(0.2, 0.28);

    [Fact]
    public void Unclipped_token_has_the_policy_gradient()
    {
        var (loss, grad) = Ppo.Token(Math.Log(1.1), 0, advantage: 2, out var clipped);
        loss.ShouldBe(-2.2, 1e-12);
        grad.ShouldBe(-2.2, 1e-12);
        clipped.ShouldBeFalse();
    }

    [Fact]
    public void Positive_advantage_clips_at_one_plus_clip_high()
    {
        var (loss, grad) = Ppo.Token(Math.Log(1.5), 0, advantage: 1, out var clipped);
        loss.ShouldBe(-1.28, 1e-12);
        grad.ShouldBe(0);
        clipped.ShouldBeTrue();
        Ppo.Token(Math.Log(1.25), 0, 1, out var inside);
        inside.ShouldBeFalse(); // 1.25 < 1 + 0.28: decoupled upper bound
    }

    [Fact]
    public void Negative_advantage_clips_at_one_minus_clip_low()
    {
        var (loss, grad) = Ppo.Token(Math.Log(0.5), 0, advantage: -1, out var clipped);
        loss.ShouldBe(0.8, 1e-12);
        grad.ShouldBe(0);
        clipped.ShouldBeTrue();
        // a large ratio with negative advantage is never clipped by the plain PPO bound ...
        Ppo.Token(Math.Log(5), 0, -1, out var big).Loss.ShouldBe(5, 1e-12);
        big.ShouldBeFalse();
        // ... but dual clip caps it at c·|A|
        new PpoClipLoss(DualClip: 3).Token(Math.Log(5), 0, -1, out var dual).Loss.ShouldBe(3, 1e-12);
        dual.ShouldBeTrue();
    }

    [Fact]
    public void Gradient_matches_finite_differences_away_from_the_kinks()
    {
        var rng = new Random(7);
        for (var i = 0; i < 200; i++)
        {
            var old = rng.NextDouble() * -3;
            var lp = old + (rng.NextDouble() - 0.5);
            var adv = rng.NextDouble() * 4 - 2;
            const double h = 1e-6;
            var (_, grad) = Ppo.Token(lp, old, adv, out _);
            var numeric = (Ppo.Token(lp + h, old, adv, out var c1).Loss - Ppo.Token(lp - h, old, adv, out var c2).Loss) / (2 * h);
            if (c1 == c2) grad.ShouldBe(numeric, 1e-5);
        }
    }

    [Fact]
    public void Token_mean_weights_every_valid_token_equally()
    {
        var w = TokenWeights.Compute(LossAggregation.TokenMean, [[1, 1, 0], [1, 0, 0]]);
        w[0].ShouldBe([1f / 3, 1f / 3, 0]);
        w[1].ShouldBe([1f / 3, 0, 0]);
    }

    [Fact]
    public void Sequence_mean_token_mean_weights_sequences_equally()
    {
        var w = TokenWeights.Compute(LossAggregation.SequenceMeanTokenMean, [[1, 1, 0, 0], [1, 0, 0, 0]]);
        w[0].ShouldBe([0.25f, 0.25f, 0, 0]);
        w[1].ShouldBe([0.5f, 0, 0, 0]);
        TokenWeights.Compute(LossAggregation.SequenceMeanTokenSum, [[1, 1], [1, 0]])[0].ShouldBe([0.5f, 0.5f]);
        TokenWeights.Compute(LossAggregation.SequenceMeanTokenSumNorm, [[1, 1], [1, 0]], normLength: 4)[0].ShouldBe([0.125f, 0.125f]);
    }

    [Fact]
    public void Batch_loss_applies_weights_and_reports_clip_fraction()
    {
        float[][] lp = [[(float)Math.Log(1.5), 0f]];
        float[][] old = [[0f, 0f]];
        float[][] adv = [[1f, 1f]];
        var weights = TokenWeights.Compute(LossAggregation.TokenMean, [[1f, 1f]]);
        var r = Ppo.Compute(lp, old, adv, weights);
        r.Loss.ShouldBe((-1.28 - 1) / 2, 1e-6);
        r.ClipFraction.ShouldBe(0.5);
        r.LogProbGradients[0][1].ShouldBe(-0.5f, 1e-6f);
        r.LogProbGradients[0][0].ShouldBe(0f);
        var exempt = Ppo.Compute(lp, old, adv, weights, [[true, false]]);
        exempt.LogProbGradients[0][0].ShouldBe(-0.75f, 1e-6f);
    }

    [Fact]
    public void Kl_estimators_and_gradients()
    {
        KlPenalty.K1(-1, -2).ShouldBe((1.0, 1.0));
        var (k3, g3) = KlPenalty.K3(-1, -1);
        k3.ShouldBe(0, 1e-12);
        g3.ShouldBe(0, 1e-12);
        KlPenalty.K3(-1, -2).Value.ShouldBe(Math.Exp(-1) + 1 - 1, 1e-12);
        const double h = 1e-6;
        var numeric = (KlPenalty.K3(-1 + h, -2).Value - KlPenalty.K3(-1 - h, -2).Value) / (2 * h);
        KlPenalty.K3(-1, -2).Gradient.ShouldBe(numeric, 1e-6);
    }
}
