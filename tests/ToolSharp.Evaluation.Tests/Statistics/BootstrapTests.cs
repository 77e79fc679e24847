using MathNet.Numerics.Statistics;
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
    public void Cluster_interval_is_the_R7_percentile_interval_of_the_documented_task_resamples()
    {
        // Seven tasks with one to four episodes each; the estimate is correct episodes / episodes = 10/18.
        double[][] tasks = [[1, 1, 0], [0], [1, 0, 0, 1], [1], [0, 0], [1, 1, 1, 1], [0, 1, 0]];
        var ci = Bootstrap.ClusterMean(tasks.Select(t => (IReadOnlyList<double>)t).ToList(), seed: 42, resamples: 500);

        // Written from docs/evaluation.md: each resample draws 7 tasks with replacement (SplitMix64, seed 42) and takes
        // the ratio of summed scores to summed episode counts; the bounds are MathNet's R-7 quantiles at 2.5% and 97.5%.
        var rng = new ReferenceSplitMix64(42);
        var statistics = new double[500];
        for (var b = 0; b < 500; b++)
        {
            double sum = 0, count = 0;
            for (var i = 0; i < tasks.Length; i++)
            {
                var t = tasks[rng.Below(tasks.Length)];
                sum += t.Sum();
                count += t.Length;
            }
            statistics[b] = sum / count;
        }
        ci.Estimate.ShouldBe(10.0 / 18, 1e-15);
        ci.Low.ShouldBe(statistics.QuantileCustom(0.025, QuantileDefinition.R7), 1e-15);
        ci.High.ShouldBe(statistics.QuantileCustom(0.975, QuantileDefinition.R7), 1e-15);
        ci.Low.ShouldBeLessThan(ci.Estimate);
        ci.High.ShouldBeGreaterThan(ci.Estimate);
    }

    [Theory]
    [InlineData(0.0)]
    [InlineData(0.1)]
    [InlineData(0.37)]
    [InlineData(0.5)]
    [InlineData(0.975)]
    [InlineData(1.0)]
    public void Quantile_is_MathNets_R7(double q)
    {
        double[] sorted = [-3, 0.5, 0.5, 2, 7, 7.25, 10, 11];
        Bootstrap.Quantile(sorted, q).ShouldBe(sorted.QuantileCustom(q, QuantileDefinition.R7), 1e-12);
    }

    [Fact]
    public void On_a_large_sample_the_interval_matches_the_normal_approximation()
    {
        var rng = new SeededRandom(5);
        var data = Enumerable.Range(0, 2000).Select(_ => rng.NextDouble() < 0.3 ? 1.0 : 0.0).ToList();
        var ci = Bootstrap.Mean(data, seed: 9, resamples: 2000);
        var p = data.Average();
        var halfWidth = 1.96 * Math.Sqrt(p * (1 - p) / data.Count);
        (ci.Width / 2).ShouldBe(halfWidth, halfWidth * 0.06);
        ((ci.Low + ci.High) / 2).ShouldBe(p, halfWidth * 0.1);
    }

    [Fact]
    public void Resampling_tasks_covers_the_task_population_mean_and_resampling_episodes_does_not()
    {
        // 30 tasks of difficulty 0.1, 0.5 or 0.9 (population mean 0.5), 4 seeds each: seeds of a task are correlated.
        var rng = new SeededRandom(21);
        double[] difficulty = [0.1, 0.5, 0.9];
        int clustered = 0, naive = 0;
        const int datasets = 300;
        for (var d = 0; d < datasets; d++)
        {
            var tasks = Enumerable.Range(0, 30).Select(_ =>
            {
                var p = difficulty[rng.Next(3)];
                return (IReadOnlyList<double>)Enumerable.Range(0, 4).Select(_ => rng.NextDouble() < p ? 1.0 : 0.0).ToList();
            }).ToList();
            var byTask = Bootstrap.ClusterMean(tasks, seed: (ulong)d, resamples: 400);
            var byEpisode = Bootstrap.Mean(tasks.SelectMany(t => t).ToList(), seed: (ulong)d, resamples: 400);
            if (byTask.Low <= 0.5 && 0.5 <= byTask.High) clustered++;
            if (byEpisode.Low <= 0.5 && 0.5 <= byEpisode.High) naive++;
        }
        ((double)clustered / datasets).ShouldBeInRange(0.90, 0.985);
        ((double)naive / datasets).ShouldBeLessThan((double)clustered / datasets - 0.08);
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
