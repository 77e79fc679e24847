using ToolSharp.Core.Errors;
using ToolSharp.Training.Rewards;
using ToolSharp.Training.Advantages;
using ToolSharp.Training.Grpo;
using ToolSharp.Training.Pipeline;

namespace ToolSharp.Training.Tests.Pipeline;

public class TrainConfigFileTests
{
    [Fact]
    public void Yaml_sets_nested_records_enums_and_nulls()
    {
        var tree = TrainConfigFile.Parse("""
            environment: "arith:levels=1-3"
            seed: 7
            warmup:
              steps: 12
            rl:
              steps: 30
              estimator: dr_grpo
              update_rollouts_per_prompt: 4
              prompt_filter:
                solved_streak_to_skip: 2
              rollout:
                max_turns: 3
                sampling: {temperature: 0.8}
            """, "test.yaml");
        var config = TrainConfigFile.Bind(tree, "test.yaml");
        config.Environment.ShouldBe("arith:levels=1-3");
        config.Seed.ShouldBe(7UL);
        config.Warmup.Steps.ShouldBe(12);
        config.Warmup.Demonstrations.ShouldBe(new WarmupOptions().Demonstrations);
        config.Rl.Steps.ShouldBe(30);
        config.Rl.Estimator.ShouldBe(AdvantageEstimator.DrGrpo);
        config.Rl.UpdateRollouts.ShouldBe(4);
        config.Rl.PromptFilter!.SolvedStreakToSkip.ShouldBe(2);
        config.Rl.Rollout.MaxTurns.ShouldBe(3);
        config.Rl.Rollout.Sampling!.Temperature.ShouldBe(0.8f);
    }

    [Fact]
    public void Overrides_win_and_printed_config_loads_back_identically()
    {
        var config = TrainConfigFile.Load(null, ["rl.steps=5", "warmup.learning-rate=0.01", "model='small'", "rl.prompt_filter.solved_streak_to_skip=2"]);
        config.Rl.Steps.ShouldBe(5);
        config.Warmup.LearningRate.ShouldBe(0.01f);
        config.Model.ShouldBe("small");
        var yaml = TrainConfigFile.ToYaml(config);
        var again = TrainConfigFile.Bind(TrainConfigFile.Parse(yaml, "printed"), "printed");
        TrainConfigFile.ToYaml(again).ShouldBe(yaml);
        again.Rl.PromptFilter.ShouldBe(config.Rl.PromptFilter);
    }

    [Fact]
    public void Toolrl_is_off_by_default_and_switched_on_like_otc()
    {
        TrainConfigFile.Load(null).Rl.ToolRl.ShouldBeNull();
        TrainConfigFile.Load(null, ["rl.toolrl={}"]).Rl.ToolRl.ShouldBe(new ToolRlOptions(FormatReward: true));
        TrainConfigFile.Load(null, ["rl.toolrl.format_reward=false"]).Rl.ToolRl.ShouldBe(new ToolRlOptions(FormatReward: false));
        var fromYaml = TrainConfigFile.Bind(TrainConfigFile.Parse("rl:\n  toolrl: {format_reward: false}\n", "test.yaml"), "test.yaml");
        fromYaml.Rl.ToolRl.ShouldBe(new ToolRlOptions(FormatReward: false));
        TrainConfigFile.Load(null, ["rl.toolrl={}", "rl.toolrl=null"]).Rl.ToolRl.ShouldBeNull();

        // Printed under the name people type (not the naming policy's "tool_rl"), and it loads back.
        var yaml = TrainConfigFile.ToYaml(TrainConfigFile.Load(null, ["rl.toolrl={}"]));
        yaml.ShouldContain("\n  toolrl:\n    format_reward: true\n");
        TrainConfigFile.Bind(TrainConfigFile.Parse(yaml, "printed"), "printed").Rl.ToolRl.ShouldBe(new ToolRlOptions());
        Should.Throw<ToolSharpException>(() => TrainConfigFile.Load(null, ["rl.tool_rl={}"])).Message.ShouldContain("unknown setting");
    }

    [Fact]
    public void A_misspelt_key_is_an_error_naming_it()
    {
        var e = Should.Throw<ToolSharpException>(() => TrainConfigFile.Load(null, ["rl.stpes=5"]));
        e.Message.ShouldContain("rl.stpes");
        e.Message.ShouldContain("unknown setting");
    }

    [Fact]
    public void A_wrong_type_is_an_error_naming_the_key()
    {
        var e = Should.Throw<ToolSharpException>(() => TrainConfigFile.Load(null, ["rl.steps=many"]));
        e.Message.ShouldContain("rl.steps");
    }

    [Fact]
    public void Invalid_yaml_names_file_and_line()
    {
        var e = Should.Throw<ToolSharpException>(() => TrainConfigFile.Parse("rl:\n  steps: 3\n bad: [", "cfg.yaml"));
        e.Message.ShouldStartWith("cfg.yaml:");
    }
}

public class TrainConfigDefaultsTests
{
    [Fact]
    public void Setting_one_key_of_a_section_keeps_the_embedded_defaults_of_the_others()
    {
        var defaults = new TrainConfig();
        var config = TrainConfigFile.Load(null, ["rl.steps=5"]);
        config.Rl.Steps.ShouldBe(5);
        config.Rl.Instructions.ShouldBe(defaults.Rl.Instructions);
        config.Rl.LearningRate.ShouldBe(defaults.Rl.LearningRate);
        config.Rl.PromptFilter.ShouldBe(defaults.Rl.PromptFilter);
        config.Rl.UpdateRolloutsPerPrompt.ShouldBe(defaults.Rl.UpdateRolloutsPerPrompt);
    }

    [Fact]
    public void Null_switches_a_default_section_off()
    {
        TrainConfigFile.Load(null, ["rl.prompt_filter=null"]).Rl.PromptFilter.ShouldBeNull();
    }
}
