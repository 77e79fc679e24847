using ToolSharp.Core.Randomness;
using ToolSharp.Evaluation.Statistics;

namespace ToolSharp.Evaluation.Tests.Statistics;

public class BootstrapTests
{
    [Fact]
    public void Interval_covers_the_true_mean_about_95_percent_of_the_time()
    {
        const double p = 0.7;
        var rng = new SeededRandom(11);
        var covered = 0;
        const int datasets = 300;
        for (var d = 0; d < datasets; d++)
        {
            var data = Enumerable.Range(0, 80).Select(_ => rng.NextDouble() < p ? 1.0 : 0.0).ToList();
            var ci = Bootstrap.Mean(data, seed: (ulong)d, resamples: 400);
            if (ci.Low <= p && p <= ci.High) covered++;
        }
        ((double)covered / datasets).ShouldBeInRange(0.90, 0.985);
    }

    [Fact]
    public void Is_reproducible_from_its_seed_and_brackets_the_estimate()
    {
        double[] data = [0, 1, 1, 0, 1, 1, 1, 0, 1, 1];
        var a = Bootstrap.Mean(data, seed: 5);
        a.ShouldBe(Bootstrap.Mean(data, seed: 5));
        a.Estimate.ShouldBe(0.7);
        a.Low.ShouldBeLessThan(0.7);
        a.High.ShouldBeGreaterThan(0.7);
    }

    [Fact]
    public void Clustered_data_gets_a_wider_interval_than_pretending_episodes_are_independent()
    {
        // 20 tasks × 5 seeds; a task is solved by every seed or by none: only 20 independent outcomes, not 100.
        var clusters = Enumerable.Range(0, 20).Select(t => (IReadOnlyList<double>)Enumerable.Repeat(t % 2 == 0 ? 1.0 : 0.0, 5).ToList()).ToList();
        var clustered = Bootstrap.ClusterMean(clusters, seed: 3);
        var naive = Bootstrap.Mean(clusters.SelectMany(c => c).ToList(), seed: 3);
        clustered.Estimate.ShouldBe(0.5);
        clustered.Width.ShouldBeGreaterThan(naive.Width * 1.8);
    }

    [Fact]
    public void Quantile_interpolates_linearly() => Bootstrap.Quantile([0, 10, 20, 30], 0.5).ShouldBe(15);
}
