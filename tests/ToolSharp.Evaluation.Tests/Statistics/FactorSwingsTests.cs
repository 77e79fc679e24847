using ToolSharp.Evaluation.Statistics;

namespace ToolSharp.Evaluation.Tests.Statistics;

public class FactorSwingsTests
{
    [Fact]
    public void Swing_is_the_best_level_mean_minus_the_worst_and_its_interval_is_the_exact_bootstrap_distribution()
    {
        // Two tasks: level x solves both, level y only the second. Means x = 1, y = 0.5, swing 0.5.
        Observation[] obs = [new("a", "x", "t1", 1), new("a", "y", "t1", 0), new("a", "x", "t2", 1), new("a", "y", "t2", 1)];
        var swing = FactorSwings.Compute("template", obs, seed: 3, resamples: 4000).Single();
        swing.Means.ShouldBe([1.0, 0.5]);
        swing.Best.ShouldBe("x");
        swing.Worst.ShouldBe("y");
        swing.Swing.Estimate.ShouldBe(0.5);
        // Resampling two tasks: {t1,t1} gives swing 1 (p = 1/4), {t2,t2} gives 0 (1/4), a mix gives 0.5 (1/2);
        // the 2.5% and 97.5% quantiles of that distribution are 0 and 1.
        swing.Swing.Low.ShouldBe(0);
        swing.Swing.High.ShouldBe(1);
    }

    [Fact]
    public void A_factor_without_effect_has_zero_swing_and_a_zero_interval()
    {
        var obs = Enumerable.Range(0, 10).SelectMany(t => new[] { "a", "b", "c" }.Select(l => new Observation("m", l, $"t{t}", t % 3 == 0 ? 1 : 0))).ToList();
        var swing = FactorSwings.Compute("history", obs).Single();
        swing.Swing.ShouldBe(new ConfidenceInterval(0, 0, 0));
    }

    [Fact]
    public void Each_model_gets_its_own_swing_and_the_result_is_reproducible()
    {
        var rng = new Random(4);
        var obs = Enumerable.Range(0, 30).SelectMany(t => new[] { ("strong", 0.9), ("weak", 0.5) }.SelectMany(m =>
            new[] { ("native", 0.0), ("packed", -0.3) }.Select(l => new Observation(m.Item1, l.Item1, $"t{t}", rng.NextDouble() < m.Item2 + l.Item2 ? 1 : 0)))).ToList();
        var a = FactorSwings.Compute("template", obs, seed: 9);
        var b = FactorSwings.Compute("template", obs, seed: 9);
        a.Select(s => s.Model).ShouldBe(["strong", "weak"]);
        a.Select(s => (s.Model, s.Swing, s.Best)).ShouldBe(b.Select(s => (s.Model, s.Swing, s.Best)));
        a.ShouldAllBe(s => s.Best == "native" && s.Swing.Low <= s.Swing.Estimate && s.Swing.Estimate <= s.Swing.High);
    }
}
