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
        var compared = 0;
        for (var i = 0; i < 200; i++)
        {
            var old = rng.NextDouble() * -3;
            var lp = old + (rng.NextDouble() - 0.5);
            var adv = rng.NextDouble() * 4 - 2;
            const double h = 1e-6;
            var (_, grad) = Ppo.Token(lp, old, adv, out _);
            var numeric = (Ppo.Token(lp + h, old, adv, out var c1).Loss - Ppo.Token(lp - h, old, adv, out var c2).Loss) / (2 * h);
            if (c1 != c2) continue; // a clip boundary lies between the two probes
            grad.ShouldBe(numeric, 1e-5);
            compared++;
        }
        compared.ShouldBeGreaterThan(150, "most random points lie away from the clip kinks");
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

    private static readonly PolicyLoss Plain = new(Ppo);

    [Fact]
    public void Batch_loss_applies_weights_and_reports_clip_fraction()
    {
        float[][] lp = [[(float)Math.Log(1.5), 0f]];
        float[][] old = [[0f, 0f]];
        float[][] adv = [[1f, 1f]];
        float[][] entropy = [[0f, 0f]];
        var weights = TokenWeights.Compute(LossAggregation.TokenMean, [[1f, 1f]]);
        var r = Plain.Compute(lp, entropy, old, adv, weights);
        r.Loss.ShouldBe((-1.28 - 1) / 2, 1e-6);
        (r.ClippedWeight / r.Weight).ShouldBe(0.5);
        r.LogProbGradients[0][1].ShouldBe(-0.5f, 1e-6f);
        r.LogProbGradients[0][0].ShouldBe(0f);
        r.EntropyGradients.ShouldBeNull();
        var exempt = Plain.Compute(lp, entropy, old, adv, weights, clipExempt: [[true, false]]);
        exempt.LogProbGradients[0][0].ShouldBe(-0.75f, 1e-6f);
    }

    [Fact]
    public void Kl_and_entropy_are_terms_of_the_same_loss_and_its_gradients_match_finite_differences()
    {
        var loss = new PolicyLoss(Ppo, KlCoefficient: 0.3, Kl: KlEstimator.K3, EntropyCoefficient: 0.05);
        var rng = new Random(11);
        float[] Row(Func<double> f) => Enumerable.Range(0, 5).Select(_ => (float)f()).ToArray();
        float[][] old = [Row(() => -rng.NextDouble() * 2), Row(() => -rng.NextDouble() * 2)];
        float[][] lp = old.Select(o => o.Select(x => x + (float)((rng.NextDouble() - 0.5) * 0.1)).ToArray()).ToArray(); // inside the clip range
        float[][] reference = [Row(() => -rng.NextDouble() * 2), Row(() => -rng.NextDouble() * 2)];
        float[][] adv = [Row(() => rng.NextDouble() * 2 - 1), Row(() => rng.NextDouble() * 2 - 1)];
        float[][] entropy = [Row(() => rng.NextDouble()), Row(() => rng.NextDouble())];
        var weights = TokenWeights.Compute(LossAggregation.SequenceMeanTokenMean, [[0, 1, 1, 1, 1], [0, 0, 1, 1, 0]]);
        var r = loss.Compute(lp, entropy, old, adv, weights, reference);

        var policyOnly = Plain.Compute(lp, entropy, old, adv, weights).Loss;
        var kl = weights.SelectMany((w, s) => w.Select((x, t) => x * KlPenalty.K3(lp[s][t], reference[s][t]).Value)).Sum();
        var h = weights.SelectMany((w, s) => w.Select((x, t) => (double)x * entropy[s][t])).Sum();
        r.Loss.ShouldBe(policyOnly + 0.3 * kl - 0.05 * h, 1e-6);
        r.KlTerm.ShouldBe(kl, 1e-6);
        r.EntropyTerm.ShouldBe(h, 1e-6);

        const double step = 1e-3;
        for (var s = 0; s < 2; s++)
            for (var t = 0; t < 5; t++)
            {
                float[][] Bump(float[][] a, double d) => a.Select((row, i) => row.Select((x, j) => i == s && j == t ? (float)(x + d) : x).ToArray()).ToArray();
                var dLogp = (loss.Compute(Bump(lp, step), entropy, old, adv, weights, reference).Loss - loss.Compute(Bump(lp, -step), entropy, old, adv, weights, reference).Loss) / (2 * step);
                var dH = (loss.Compute(lp, Bump(entropy, step), old, adv, weights, reference).Loss - loss.Compute(lp, Bump(entropy, -step), old, adv, weights, reference).Loss) / (2 * step);
                ((double)r.LogProbGradients[s][t]).ShouldBe(dLogp, 1e-4, $"d/dlogp at ({s}, {t})");
                ((double)r.EntropyGradients![s][t]).ShouldBe(dH, 1e-4, $"d/dH at ({s}, {t})");
            }
    }

    [Fact]
    public void A_kl_term_without_reference_log_probs_is_refused() =>
        Should.Throw<ArgumentNullException>(() => new PolicyLoss(Ppo, KlCoefficient: 0.1).Compute([[0f]], [[0f]], [[0f]], [[1f]], [[1f]]));

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
