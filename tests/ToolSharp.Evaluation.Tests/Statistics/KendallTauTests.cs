using ToolSharp.Core.Randomness;
using ToolSharp.Evaluation.Statistics;

namespace ToolSharp.Evaluation.Tests.Statistics;

public class KendallTauTests
{
    [Theory]
    [InlineData(new double[] { 1, 2, 3, 4 }, new double[] { 10, 20, 30, 40 }, 1.0)]
    [InlineData(new double[] { 1, 2, 3, 4 }, new double[] { 4, 3, 2, 1 }, -1.0)]
    [InlineData(new double[] { 1, 2, 3 }, new double[] { 1, 3, 2 }, 1.0 / 3)]           // 2 concordant, 1 discordant of 3 pairs
    [InlineData(new double[] { 1, 1, 2 }, new double[] { 1, 2, 3 }, 0.816496580927726)] // τ-b: 2 / √(3·2), as scipy.stats.kendalltau
    // One pair tied in x only, one in y only: C = 3, D = 1, n0 = 6, n1 = n2 = 1: τ-b = 2 / √(5·5).
    [InlineData(new double[] { 1, 2, 2, 3 }, new double[] { 1, 3, 2, 2 }, 0.4)]
    // One pair tied in both (it counts in n1 and n2): C = 2, D = 3: τ-b = −1 / √(5·5).
    [InlineData(new double[] { 1, 1, 2, 3 }, new double[] { 5, 5, 6, 4 }, -0.2)]
    // Ties of three in x: n1 = 3; y strictly increasing: C = 3 (pairs across the groups), D = 0: τ-b = 3 / √(3·6).
    [InlineData(new double[] { 1, 1, 1, 2 }, new double[] { 1, 2, 3, 4 }, 0.7071067811865476)]
    public void Matches_hand_computed_values(double[] x, double[] y, double expected) =>
        KendallTau.TauB(x, y).ShouldBe(expected, 1e-12);

    [Fact]
    public void Matches_the_tie_group_formula_on_random_vectors_with_many_ties()
    {
        // τ-b = (n_c − n_d) / √((n0 − n1)(n0 − n2)), n0 = n(n−1)/2, n1 = Σ t(t−1)/2 over groups of equal x, n2 likewise for y,
        // with n_c, n_d counted over pairs untied in both.
        var rng = new SeededRandom(8);
        for (var trial = 0; trial < 300; trial++)
        {
            var n = 2 + rng.Next(9);
            var x = Enumerable.Range(0, n).Select(_ => (double)rng.Next(4)).ToArray();
            var y = Enumerable.Range(0, n).Select(_ => (double)rng.Next(4)).ToArray();
            long nc = 0, nd = 0;
            for (var i = 0; i < n; i++)
            for (var j = i + 1; j < n; j++)
            {
                var s = Math.Sign(x[i] - x[j]) * Math.Sign(y[i] - y[j]);
                if (s > 0) nc++;
                else if (s < 0) nd++;
            }
            static long TiedPairs(double[] v) => v.GroupBy(a => a).Sum(g => (long)g.Count() * (g.Count() - 1) / 2);
            var n0 = (long)n * (n - 1) / 2;
            var denominator = Math.Sqrt((double)(n0 - TiedPairs(x)) * (n0 - TiedPairs(y)));
            var tau = KendallTau.TauB(x, y);
            if (denominator == 0) double.IsNaN(tau).ShouldBeTrue();
            else tau.ShouldBe((nc - nd) / denominator, 1e-12);
        }
    }

    [Fact]
    public void Constant_vector_has_no_ranking() => double.IsNaN(KendallTau.TauB([1, 1, 1], [1, 2, 3])).ShouldBeTrue();
}
