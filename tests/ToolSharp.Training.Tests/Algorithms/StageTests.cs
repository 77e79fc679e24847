using ToolSharp.Training.Advantages;
using ToolSharp.Training.Samples;
using ToolSharp.Training.Selection;
using ToolSharp.Training.Tests.Support;

namespace ToolSharp.Training.Tests.Algorithms;

/// <summary>The RL step's stages after the rollouts, each on hand-built samples: advantages, selection, shaping.</summary>
public class StageTests
{
    private static List<Sample> Group(params double[] rewards) => rewards.Select((r, i) => Fake.Sample(reward: r, index: i, correct: r > 0.5)).ToList();

    [Fact]
    public void Advantages_are_computed_over_the_whole_group_and_leave_the_rest_of_each_sample_alone()
    {
        var group = Group(1, 0, 0, 1, 1);
        var scored = GroupAdvantages.Assign(AdvantageEstimator.Grpo, group);
        scored.Select(s => s.Advantage).ShouldBe(GroupAdvantages.Compute(AdvantageEstimator.Grpo, [1, 0, 0, 1, 1]));
        scored.Select(s => s.Reward).ShouldBe(group.Select(s => s.Reward));
        group.ShouldAllBe(s => s.Advantage == 0, "the input samples are not changed");
        scored[0].Tokens.ShouldBeSameAs(group[0].Tokens);
    }

    [Fact]
    public void Selection_keeps_the_m_most_varied_rollouts_per_group_and_drops_those_whose_calls_all_failed()
    {
        var a = Group(1, 1, 1, 0, 1, 1, 0, 1);
        var b = Group(0, 0, 0, 0, 1, 0, 0, 0);
        b[4] = b[4] with { CallFailed = [true] };
        var (selected, dropped) = SampleSelection.Select([a, b], new SelectionOptions(UpdateRollouts: 4));
        selected.Count.ShouldBe(8);
        selected.Take(4).Count(s => s.Reward == 0).ShouldBe(2, "2 right + 2 wrong is the most varied 4 of 6 right and 2 wrong");
        dropped.ShouldBe(0);

        var (tao, taoDropped) = SampleSelection.Select([a, b], new SelectionOptions(UpdateRollouts: 8, DropAllToolCallsFailed: true));
        taoDropped.ShouldBe(1);
        tao.Count.ShouldBe(15);
        tao.ShouldNotContain(b[4]);
    }

    [Fact]
    public void A_group_whose_rewards_are_equal_is_not_informative()
    {
        SampleSelection.IsInformative(Group(1, 1, 1)).ShouldBeFalse();
        SampleSelection.IsInformative(Group(0, 0)).ShouldBeFalse();
        SampleSelection.IsInformative(Group(0, 1)).ShouldBeTrue();
    }

    [Fact]
    public void Shaping_puts_each_advantage_on_its_generated_tokens_only()
    {
        var s = Fake.Sample(length: 6, advantage: 0.75);
        var shaped = TokenShaping.Shape([s], arpoHardAttribution: false, tao: null).Single();
        shaped.TokenAdvantages.ShouldBe([0f, 0f, 0.75f, 0.75f, 0.75f, 0.75f]);
        shaped.ClipExempt.ShouldBeNull();
    }

    [Fact]
    public void Tao_shaping_scales_post_tool_tokens_by_entropy_and_can_exempt_them_from_the_clip()
    {
        var postTool = new[] { false, false, false, false, true, true };
        var samples = new[]
        {
            Fake.Sample(length: 6, advantage: 1, entropies: [0, 0, 1, 2, 3, 4], postTool: postTool),
            Fake.Sample(length: 6, advantage: -1, entropies: [0, 0, 4, 3, 2, 1], postTool: postTool, index: 1),
        };
        var tao = new TaoOptions(EntropyCoefficient: 0.5, ExemptPostToolFromClip: true);
        var shaped = TokenShaping.Shape(samples, arpoHardAttribution: false, tao);
        // μ = 2.5, σ = √1.25 over the eight generated tokens
        var sigma = Math.Sqrt(1.25);
        shaped[0].TokenAdvantages![2].ShouldBe(1f, "not post-tool: unchanged");
        shaped[0].TokenAdvantages![5].ShouldBe((float)(1 * (1 + 0.5 * (4 - 2.5) / sigma)), 1e-6f);
        shaped[1].TokenAdvantages![4].ShouldBe((float)(-1 * (1 + 0.5 * (2 - 2.5) / sigma)), 1e-6f);
        shaped[0].ClipExempt.ShouldBe(postTool);
    }

    [Fact]
    public void Arpo_attribution_averages_the_advantage_of_a_shared_prefix()
    {
        var parent = Fake.Sample(length: 8, index: 0, advantage: 1);
        var branch = Fake.Sample(length: 8, index: 1, branchOf: 0, sharedPrefix: 5, advantage: -1);
        var shaped = TokenShaping.Shape([parent, branch], arpoHardAttribution: true, tao: null);
        shaped[0].TokenAdvantages![3].ShouldBe(0f, "tokens 2..4 are in both: mean of 1 and −1");
        shaped[1].TokenAdvantages![3].ShouldBe(0f);
        shaped[0].TokenAdvantages![6].ShouldBe(1f);
        shaped[1].TokenAdvantages![6].ShouldBe(-1f);
        TokenShaping.Shape([parent, branch], arpoHardAttribution: false, tao: null)[0].TokenAdvantages![3].ShouldBe(1f, "soft attribution keeps each sample's own");
    }
}
