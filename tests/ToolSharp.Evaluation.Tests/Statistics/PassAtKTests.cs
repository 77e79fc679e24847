using System.Numerics;
using ToolSharp.Evaluation.Statistics;

namespace ToolSharp.Evaluation.Tests.Statistics;

public class PassAtKTests
{
    [Theory]
    [InlineData(5, 2, 1, 0.4, 0.4)]
    [InlineData(5, 2, 2, 0.7, 0.1)]      // pass@2 = 1 − C(3,2)/C(5,2) = 1 − 3/10; pass^2 = C(2,2)/C(5,2) = 1/10
    [InlineData(5, 2, 3, 0.9, 0.0)]      // pass@3 = 1 − C(3,3)/C(5,3) = 1 − 1/10; fewer than 3 successes → pass^3 = 0
    [InlineData(4, 4, 4, 1.0, 1.0)]
    [InlineData(4, 0, 2, 0.0, 0.0)]
    [InlineData(8, 6, 4, 1.0, 0.21428571428571427)] // C(6,4)/C(8,4) = 15/70
    public void Matches_the_combinatorial_definitions(int n, int c, int k, double passAt, double passHat)
    {
        PassAtK.PassAt(n, c, k).ShouldBe(passAt, 1e-12);
        PassAtK.PassHat(n, c, k).ShouldBe(passHat, 1e-12);
    }

    private static BigInteger Choose(int n, int k)
    {
        if (k < 0 || k > n) return 0;
        BigInteger r = 1;
        for (var i = 0; i < k; i++) r = r * (n - i) / (i + 1);
        return r;
    }

    [Fact]
    public void Equals_the_exact_binomial_ratios_for_every_n_up_to_40()
    {
        // Exact: pass@k = (C(n,k) − C(n−c,k)) / C(n,k) and pass^k = C(c,k) / C(n,k) in integers, rounded once to double.
        var cases = 0;
        for (var n = 1; n <= 40; n++)
        for (var c = 0; c <= n; c++)
        for (var k = 1; k <= n; k++)
        {
            var all = Choose(n, k);
            var at = (double)(all - Choose(n - c, k)) / (double)all;
            var hat = (double)Choose(c, k) / (double)all;
            PassAtK.PassAt(n, c, k).ShouldBe(at, 1e-13 + 1e-12 * at, $"pass@{k}, n={n}, c={c}");
            PassAtK.PassHat(n, c, k).ShouldBe(hat, 1e-13 + 1e-12 * hat, $"pass^{k}, n={n}, c={c}");
            cases++;
        }
        cases.ShouldBe(Enumerable.Range(1, 40).Sum(n => (n + 1) * n));
    }

    [Fact]
    public void Averages_over_tasks_as_tau_bench_does() =>
        PassAtK.Average([(4, 4), (4, 2), (4, 0)], 2, hat: true).ShouldBe((1 + 1.0 / 6 + 0) / 3, 1e-12);

    [Fact]
    public void Tasks_with_fewer_than_k_attempts_are_left_out_of_the_average() =>
        PassAtK.Average([(4, 2), (1, 1)], 2, hat: false).ShouldBe(1 - 1.0 / 6, 1e-12);

    [Fact]
    public void Rejects_k_larger_than_n() => Should.Throw<ArgumentOutOfRangeException>(() => PassAtK.PassHat(2, 1, 3));
}
