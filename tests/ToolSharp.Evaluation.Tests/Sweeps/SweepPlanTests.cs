using ToolSharp.Evaluation.Sweeps;

namespace ToolSharp.Evaluation.Tests.Sweeps;

public class SweepPlanTests
{
    private static SweepDefinition Definition(string design) => SweepFile.Parse($$"""
        models: ["openai:http://a/v1#m1", "openai:http://b/v1#m2"]
        environments: [{env: "arith:levels=1", tasks: 3}]
        factors:
          seeds: [1, 2]
          system_prompts: [default, minimal, bfcl]
          templates: [native, packed]
          history: [keep, drop-reasoning]
        design: {{design}}
        """);

    [Fact]
    public void Full_design_crosses_every_level()
    {
        var plan = SweepPlan.Create(Definition("full"));
        plan.Settings.Count.ShouldBe(3 * 2 * 2);
        plan.Configurations.Count.ShouldBe(2 * 12);
        plan.EpisodeCount.ShouldBe(24 * 3 * 2);
        plan.WorkItems().Count().ShouldBe(plan.EpisodeCount);
        plan.WorkItems().Select(w => w.Key).Distinct().Count().ShouldBe(plan.EpisodeCount);
    }

    [Fact]
    public void One_factor_at_a_time_varies_one_factor_from_the_baseline()
    {
        var plan = SweepPlan.Create(Definition("ofat"));
        plan.Settings.Count.ShouldBe(1 + 2 + 1 + 1);
        var baseline = plan.Settings[0];
        foreach (var s in plan.Settings.Skip(1))
            FactorSetting.FactorNames.Count(f => s.Level(f) != baseline.Level(f)).ShouldBe(1);
    }

    [Fact]
    public void Random_design_is_a_seeded_subset()
    {
        var a = SweepPlan.Create(Definition("{kind: random, budget: 5, seed: 3}"));
        var b = SweepPlan.Create(Definition("{kind: random, budget: 5, seed: 3}"));
        var c = SweepPlan.Create(Definition("{kind: random, budget: 5, seed: 4}"));
        a.Settings.Count.ShouldBe(5);
        a.Settings.ShouldBe(b.Settings);
        a.Settings.ShouldNotBe(c.Settings);
        var full = SweepPlan.Create(Definition("full")).Settings;
        a.Settings.ShouldAllBe(s => full.Contains(s));
    }

    [Fact]
    public void Configuration_hashes_are_stable_distinct_and_ignore_base_urls()
    {
        var a = SweepPlan.Create(Definition("full"));
        var b = SweepPlan.Create(Definition("full"));
        a.Configurations.Select(c => c.Hash).ShouldBe(b.Configurations.Select(c => c.Hash));
        a.Configurations.Select(c => c.Hash).Distinct().Count().ShouldBe(a.Configurations.Count);

        var moved = SweepPlan.Create(Definition("full") with { Models = [new ModelEntry("m1", "openai:http://elsewhere:9/v1,http://x/v1#m1"), new ModelEntry("m2", "openai:http://b/v1#m2")] });
        moved.Configurations.Select(c => c.Hash).ShouldBe(a.Configurations.Select(c => c.Hash));

        // Pinned: a change here means every stored result would be orphaned; bump deliberately.
        a.Configurations[0].Hash.ShouldBe("8ff0a8e65c4e20fa");
    }

    [Fact]
    public void Manifest_records_identities_versions_and_hashes()
    {
        var plan = SweepPlan.Create(Definition("full"));
        var m = plan.Manifest();
        m.GetProperty("models")[0].GetProperty("identity").GetString().ShouldBe("openai#m1");
        m.GetProperty("environments")[0].GetProperty("version").GetString().ShouldNotBeNullOrEmpty();
        m.GetProperty("environments")[0].GetProperty("dataset_hash").GetString()!.Length.ShouldBe(64);
        m.GetProperty("system_prompts").GetProperty("minimal").EnumerateObject().Count().ShouldBe(1);
        m.GetProperty("configurations").GetArrayLength().ShouldBe(24);
    }

    [Fact]
    public void Full_design_lists_the_first_factor_outermost_and_labels_every_factor()
    {
        var plan = SweepPlan.Create(Definition("full"));
        plan.Settings.Select(s => s.Label).Take(3).ShouldBe([
            "default|native|keep|native|t=0|p=1", "default|native|drop-reasoning|native|t=0|p=1", "default|packed|keep|native|t=0|p=1"]);
        plan.Settings[4].SystemPrompt.Name.ShouldBe("minimal");
    }

    public static TheoryData<FactorLevels, string> UnusableLevels => new()
    {
        { new FactorLevels { Templates = ["native", "native"] }, "factors.templates[1]: expected each level once, found 'native' again (also at [0])" },
        { new FactorLevels { Templates = ["nested"] }, "factors.templates[0]: expected native or packed, found 'nested'" },
        { new FactorLevels { Temperatures = [-0.5] }, "factors.temperatures[0]: expected a temperature ≥ 0, found '-0.5'" },
        { new FactorLevels { TopP = [1.5] }, "factors.top_p[0]: expected a nucleus mass in (0, 1], found '1.5'" },
        { new FactorLevels { History = [] }, "factors.history: expected at least one level, found an empty list" },
        { new FactorLevels { Seeds = [3, 3] }, "factors.seeds[1]: expected each seed once, found '3' again" },
    };

    [Theory]
    [MemberData(nameof(UnusableLevels))]
    public void Levels_that_name_nothing_or_repeat_are_refused_when_planning(FactorLevels levels, string message)
    {
        // The sweep-file reader reports these with a line and column; a definition built in code (eval) gets them here.
        var d = Definition("full") with { Factors = levels };
        Should.Throw<FactorLevelException>(() => SweepPlan.Create(d)).Message.ShouldBe(message);
    }
}
