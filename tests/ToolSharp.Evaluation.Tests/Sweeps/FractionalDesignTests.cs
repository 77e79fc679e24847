using ToolSharp.Core.Errors;
using ToolSharp.Evaluation.Sweeps;

namespace ToolSharp.Evaluation.Tests.Sweeps;

public class FractionalDesignTests
{
    private static List<int[]> Full(params int[] counts) =>
        counts.Aggregate((IEnumerable<int[]>)[[]], (rows, l) => rows.SelectMany(r => Enumerable.Range(0, l).Select(i => (int[])[.. r, i]))).ToList();

    [Fact]
    public void Parameters_and_default_budget_follow_the_main_effects_model()
    {
        FractionalDesign.Parameters([4, 2, 2]).ShouldBe(6);
        FractionalDesign.DefaultBudget([4, 2, 2]).ShouldBe(8);   // multiple of 4 ≥ 6
        FractionalDesign.DefaultBudget([2, 2, 2]).ShouldBe(4);
        FractionalDesign.DefaultBudget([3, 2]).ShouldBe(6);      // the full design: no smaller balanced fraction
    }

    [Fact]
    public void Half_of_a_two_level_cube_is_the_classic_orthogonal_fraction()
    {
        var rows = Full(2, 2, 2);
        var chosen = FractionalDesign.Select(rows, [2, 2, 2], 4, seed: 0).Select(i => rows[i]).ToList();
        chosen.Count.ShouldBe(4);
        chosen[0].ShouldBe([0, 0, 0]);
        // Resolution III: every pair of factors sees each of its four level combinations exactly once.
        for (var a = 0; a < 3; a++)
        for (var b = a + 1; b < 3; b++)
            chosen.Select(r => (r[a], r[b])).Distinct().Count().ShouldBe(4);
    }

    [Theory]
    [InlineData(0UL)]
    [InlineData(7UL)]
    public void The_study_preset_shape_gets_a_balanced_fraction_with_the_baseline(ulong seed)
    {
        var rows = Full(4, 2, 2);
        var chosen = FractionalDesign.Select(rows, [4, 2, 2], 8, seed);
        chosen.ShouldContain(0);
        chosen.ShouldBe(chosen.Order().Distinct());
        var picked = chosen.Select(i => rows[i]).ToList();
        // Balanced: each 4-level level twice, each 2-level level four times; the two 2-level factors orthogonal.
        picked.GroupBy(r => r[0]).Select(g => g.Count()).ShouldAllBe(n => n == 2);
        picked.GroupBy(r => r[1]).Select(g => g.Count()).ShouldAllBe(n => n == 4);
        picked.GroupBy(r => (r[1], r[2])).Select(g => g.Count()).ShouldAllBe(n => n == 2);
    }

    [Fact]
    public void The_same_seed_gives_the_same_fraction()
    {
        var rows = Full(3, 3, 2);
        FractionalDesign.Select(rows, [3, 3, 2], 8, seed: 5).ShouldBe(FractionalDesign.Select(rows, [3, 3, 2], 8, seed: 5));
    }

    [Fact]
    public void A_budget_below_the_parameter_count_is_refused()
    {
        var ex = Should.Throw<ToolSharpException>(() => FractionalDesign.Select(Full(4, 2), [4, 2], 4, 0));
        ex.Message.ShouldBe("design 'fractional' needs a budget of at least 5 settings to estimate every main effect (1 + Σ(levels − 1)), found 4");
    }

    [Fact]
    public void A_sweep_design_expands_to_the_fraction_over_its_varied_factors()
    {
        var levels = new FactorLevels
        {
            SystemPrompts = [SystemPrompts.Default, SystemPrompts.Minimal, SystemPrompts.MultiTurn, SystemPrompts.None],
            Templates = ["native", "packed"],
            History = ["keep", "window:2"],
            Temperatures = [0.7],
        }.Canonical();
        var settings = new SweepDesign(DesignKind.Fractional).Expand(levels);
        settings.Count.ShouldBe(8);
        settings[0].ShouldBe(FactorSetting.Baseline(levels));
        settings.Select(s => s.Template).Count(t => t == "packed").ShouldBe(4);
        settings.Select(s => s.SystemPrompt.Name).Distinct().Count().ShouldBe(4);
        settings.ShouldAllBe(s => s.Temperature == 0.7);
    }
}
