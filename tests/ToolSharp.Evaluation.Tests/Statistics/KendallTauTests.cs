using ToolSharp.Evaluation.Statistics;

namespace ToolSharp.Evaluation.Tests.Statistics;

public class KendallTauTests
{
    [Theory]
    [InlineData(new double[] { 1, 2, 3, 4 }, new double[] { 10, 20, 30, 40 }, 1.0)]
    [InlineData(new double[] { 1, 2, 3, 4 }, new double[] { 4, 3, 2, 1 }, -1.0)]
    [InlineData(new double[] { 1, 2, 3 }, new double[] { 1, 3, 2 }, 1.0 / 3)]           // 2 concordant, 1 discordant of 3 pairs
    [InlineData(new double[] { 1, 1, 2 }, new double[] { 1, 2, 3 }, 0.816496580927726)] // τ-b: 2 / √(3·2), as scipy.stats.kendalltau
    public void Matches_hand_computed_values(double[] x, double[] y, double expected) =>
        KendallTau.TauB(x, y).ShouldBe(expected, 1e-12);

    [Fact]
    public void Constant_vector_has_no_ranking() => double.IsNaN(KendallTau.TauB([1, 1, 1], [1, 2, 3])).ShouldBeTrue();
}
