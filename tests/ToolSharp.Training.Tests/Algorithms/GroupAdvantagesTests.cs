using ToolSharp.Training.Advantages;

namespace ToolSharp.Training.Tests.Algorithms;

public class GroupAdvantagesTests
{
    [Fact]
    public void Grpo_normalises_by_sample_std()
    {
        // rewards 1,0,0,1: mean 0.5, sample std sqrt(1/3) = 0.57735
        var a = GroupAdvantages.Compute(AdvantageEstimator.Grpo, [1, 0, 0, 1], epsilon: 0);
        a[0].ShouldBe(0.5 / Math.Sqrt(1.0 / 3), 1e-12);
        a[1].ShouldBe(-0.5 / Math.Sqrt(1.0 / 3), 1e-12);
    }

    [Fact]
    public void Dr_grpo_only_centres()
    {
        GroupAdvantages.Compute(AdvantageEstimator.DrGrpo, [1, 0, 0, 0]).ShouldBe([0.75, -0.25, -0.25, -0.25]);
    }

    [Fact]
    public void Rloo_subtracts_the_mean_of_the_others()
    {
        var a = GroupAdvantages.Compute(AdvantageEstimator.Rloo, [1, 0, 0, 0]);
        a[0].ShouldBe(1.0, 1e-12);        // 1 − mean(0,0,0)
        a[1].ShouldBe(-1.0 / 3, 1e-12);   // 0 − mean(1,0,0)
    }

    [Fact]
    public void Equal_rewards_give_zero_advantage_everywhere()
    {
        foreach (var e in Enum.GetValues<AdvantageEstimator>())
        {
            GroupAdvantages.Compute(e, [1, 1, 1]).ShouldAllBe(x => x == 0);
            GroupAdvantages.Compute(e, [0.3]).ShouldBe([0.0]);
        }
        GroupAdvantages.IsZeroVariance([2, 2, 2]).ShouldBeTrue();
        GroupAdvantages.IsZeroVariance([2, 2, 3]).ShouldBeFalse();
    }

    [Fact]
    public void Groups_are_computed_independently()
    {
        var a = GroupAdvantages.Compute(AdvantageEstimator.DrGrpo, [1.0, 0.0, 5.0, 5.0, 2.0], ["p", "p", "q", "q", "q"]);
        a.ShouldBe([0.5, -0.5, 1.0, 1.0, -2.0]);
    }
}
