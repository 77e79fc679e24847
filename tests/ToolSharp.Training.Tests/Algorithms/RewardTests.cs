using ToolSharp.Core.Tools;
using ToolSharp.Training.Advantages;
using ToolSharp.Training.Rewards;
using ToolSharp.Training.Selection;
using ToolSharp.Training.Tests.Support;

namespace ToolSharp.Training.Tests.Algorithms;

public class OtcRewardTests
{
    [Theory]
    [InlineData(0, 0, 1.0)]
    [InlineData(2, 2, 1.0)]          // optimal count
    [InlineData(0, 2, 0.0)]          // f = 0
    [InlineData(1, 2, 0.86602540378)] // f = 4/3: sin(4/3·π/4) = sin(π/3)
    [InlineData(4, 2, 0.86602540378)] // f = 16/6 = 8/3: sin(8/3·π/4) = sin(2π/3)
    public void Grpo_tool_score(int m, int n, double expected) => OtcReward.ToolScoreGrpo(m, n).ShouldBe(expected, 1e-9);

    [Fact]
    public void With_no_tool_needed_more_calls_cost_more()
    {
        OtcReward.ToolScoreGrpo(1, 0, c: 1).ShouldBe(Math.Cos(Math.PI / 3), 1e-12); // 0.5
        OtcReward.ToolScoreGrpo(3, 0, c: 1).ShouldBe(Math.Cos(3 * Math.PI / 7), 1e-12);
        OtcReward.ToolScorePpo(0).ShouldBe(1.0);
        OtcReward.ToolScorePpo(2, 1).ShouldBe(Math.Cos(2 * Math.PI / 5), 1e-12);
    }

    [Fact]
    public void Group_rewards_use_the_fewest_calls_among_correct_trajectories()
    {
        var r = OtcReward.GroupRewards([2, 1, 4, 0], [true, true, true, false]);
        r[1].ShouldBe(1.0, 1e-12);                      // n = 1, m = 1
        r[0].ShouldBe(Math.Sin(4.0 / 3 * Math.PI / 2), 1e-12);
        r[3].ShouldBe(0);                                // wrong answer
        OtcReward.GroupRewards([1, 2], [false, false]).ShouldBe([0.0, 0.0]);
        OtcReward.ToolProductivity(3, 6).ShouldBe(0.5);
    }
}

public class ToolRlRewardTests
{
    private static ToolCall C(string name, string args) => ToolCall.FromJson(name, args);

    [Fact]
    public void Exact_match_gets_the_maximum() =>
        ToolRlReward.Correctness([C("f", """{"a":1}""")], [C("f", """{"a":1}""")]).ShouldBe(3.0);

    [Fact]
    public void Unparseable_output_gets_the_minimum() =>
        ToolRlReward.Correctness([C("f", "{}")], null).ShouldBe(-3.0);

    [Fact]
    public void Partial_match_is_scaled_from_the_component_scores()
    {
        // gt f(a=1, b=2); predicted f(a=1, c=5): name 1, keys |{a}| / |{a,b,c}| = 1/3, values 1 → score 7/3 of max 1 + (1 + 2) = 4
        var r = ToolRlReward.Correctness([C("f", """{"a":1,"b":2}""")], [C("f", """{"a":1,"c":5}""")]);
        r.ShouldBe(6.0 * (7.0 / 3) / 4 - 3, 1e-12);
    }

    [Fact]
    public void Wrong_function_scores_the_name_overlap_only()
    {
        // gt [f, g], predicted [f]: names 1/2; f matches fully (1 key + 1 value = 2); max = 1 + 2 + 1 = 4 (g has no params)
        var r = ToolRlReward.Correctness([C("f", """{"a":1}"""), C("g", "{}")], [C("f", """{"a":1}""")]);
        r.ShouldBe(6.0 * 2.5 / 4 - 3, 1e-12);
        ToolRlReward.MatchScore(["a", "a", "b"], ["a", "b", "b"]).ShouldBe(2.0 / 4);
        ToolRlReward.Total([C("f", "{}")], [C("f", "{}")], formatOk: true).ShouldBe(4.0);
    }
}

public class TaoRlShapingTests
{
    [Fact]
    public void All_failed_needs_at_least_one_call()
    {
        SampleSelection.AllToolCallsFailed(Fake.Sample(callFailed: [true, true])).ShouldBeTrue();
        SampleSelection.AllToolCallsFailed(Fake.Sample(callFailed: [true, false])).ShouldBeFalse();
        SampleSelection.AllToolCallsFailed(Fake.Sample(callFailed: [])).ShouldBeFalse();
    }

    [Fact]
    public void Post_tool_tokens_are_scaled_by_standardised_entropy()
    {
        // entropies over valid tokens: 1, 3 → μ = 2, σ = 1 (population)
        float[][] adv = [[2f, 2f]];
        float[][] ent = [[1f, 3f]];
        float[][] valid = [[1f, 1f]];
        bool[][] post = [[false, true]];
        var shaped = TaoRlShaping.Shape(adv, ent, valid, post, coefficient: 0.5);
        shaped[0][0].ShouldBe(2f);
        shaped[0][1].ShouldBe(2f * (1 + 0.5f * 1), 1e-6f);
        adv[0][1].ShouldBe(2f); // input untouched
    }
}
