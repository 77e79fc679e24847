using ToolSharp.Evaluation.Statistics;

namespace ToolSharp.Evaluation.Tests.Statistics;

public class RankingStabilityTests
{
    private static IEnumerable<Observation> Cell(string model, string setting, params double[] perTask) =>
        perTask.Select((s, i) => new Observation(model, setting, "task" + i, s));

    [Fact]
    public void Counts_flips_across_settings_and_kendall_tau()
    {
        // A beats B under s1 and s2, loses under s3; C is last everywhere.
        var obs = new List<Observation>();
        obs.AddRange(Cell("A", "s1", 1, 1, 1, 0)); obs.AddRange(Cell("B", "s1", 1, 0, 0, 0)); obs.AddRange(Cell("C", "s1", 0, 0, 0, 0));
        obs.AddRange(Cell("A", "s2", 1, 1, 1, 1)); obs.AddRange(Cell("B", "s2", 1, 1, 0, 0)); obs.AddRange(Cell("C", "s2", 1, 0, 0, 0));
        obs.AddRange(Cell("A", "s3", 1, 0, 0, 0)); obs.AddRange(Cell("B", "s3", 1, 1, 0, 0)); obs.AddRange(Cell("C", "s3", 0, 0, 0, 0));

        var r = RankingStability.Compute(obs, seed: 1, resamples: 200);

        r.Ranking.ShouldBe(["A", "B", "C"]);
        r.OverallMeans["A"].ShouldBe((0.75 + 1 + 0.25) / 3, 1e-12);
        r.RankingBySetting["s3"].ShouldBe(["B", "A", "C"]);
        var ab = r.Pairs.Single(p => p.First == "A" && p.Second == "B");
        ab.FlipAcrossSettings.ShouldBe(1.0 / 3, 1e-12);
        r.Pairs.Single(p => p.First == "B" && p.Second == "C").FlipAcrossSettings.ShouldBe(0);
        // τ(s1,s2) = 1, τ(s1,s3) = τ(s2,s3) = 1/3.
        r.MeanKendallTau.ShouldBe((1 + 1.0 / 3 + 1.0 / 3) / 3, 1e-12);
        r.MinKendallTau.ShouldBe(1.0 / 3, 1e-12);
        ab.FlipAcrossBootstrap.ShouldBeInRange(0.0, 0.5);
        ab.ResolvableDifference.ShouldBeGreaterThan(0);
    }

    [Fact]
    public void Identical_models_flip_half_the_time_and_a_dominant_one_never()
    {
        var obs = new List<Observation>();
        var scores = new double[] { 1, 0, 1, 1, 0, 0, 1, 0, 1, 1 };
        obs.AddRange(Cell("X", "s", scores));
        obs.AddRange(Cell("Y", "s", scores));
        obs.AddRange(Cell("Z", "s", scores.Select(_ => 1.0).ToArray()));
        var r = RankingStability.Compute(obs, seed: 2, resamples: 300);
        r.Pairs.Single(p => p.First == "X" && p.Second == "Y").FlipAcrossBootstrap.ShouldBe(0.5);
        r.Pairs.Where(p => p.First == "Z").ShouldAllBe(p => p.FlipAcrossBootstrap < 0.02); // only resamples drawing solved tasks alone tie (0.6^10 each)
    }

    [Fact]
    public void Recommends_more_tasks_for_a_tighter_interval()
    {
        var obs = Cell("A", "s", Enumerable.Range(0, 40).Select(i => (double)(i % 2)).ToArray()).ToList();
        var loose = RankingStability.Compute(obs, targetHalfWidth: 0.1);
        var tight = RankingStability.Compute(obs, targetHalfWidth: 0.05);
        // Task means have variance 40/39 · 0.25, so n = 1.96² · 0.2564 / h².
        loose.RecommendedTasks.ShouldBe((int)Math.Ceiling(1.96 * 1.96 * (0.25 * 40 / 39) / 0.01));
        tight.RecommendedTasks.ShouldBeGreaterThan(3 * loose.RecommendedTasks);
    }
}
