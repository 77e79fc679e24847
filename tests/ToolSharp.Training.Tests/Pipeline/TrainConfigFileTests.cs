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
        var config = TrainConfigFile.Read("""
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
        config.Environment.ShouldBe("arith:levels=1-3");
        config.Seed.ShouldBe(7UL);
        config.Warmup.Steps.ShouldBe(12);
        config.Warmup.Demonstrations.ShouldBe(new WarmupOptions().Demonstrations);
        config.Warmup.CopyDrills.ShouldBe(new CopyDrillOptions(), "a file that sets warm-up keys keeps the default's copy drills");
        config.Rl.Steps.ShouldBe(30);
        config.Rl.Estimator.ShouldBe(AdvantageEstimator.DrGrpo);
        config.Rl.UpdateRollouts.ShouldBe(4);
        config.Rl.PromptFilter!.SolvedStreakToSkip.ShouldBe(2);
        config.Rl.Rollout.MaxTurns.ShouldBe(3);
        config.Rl.Rollout.Sampling!.Temperature.ShouldBe(0.8f);
    }

    [Fact]
    public void The_default_warmup_has_copy_drills_and_null_turns_them_off()
    {
        var config = TrainConfigFile.Load(null, []);
        config.Warmup.Steps.ShouldBe(900);
        config.Warmup.CopyDrills.ShouldBe(new CopyDrillOptions(0.3, 300));
        TrainConfigFile.Load(null, ["warmup.copy_drills=null"]).Warmup.CopyDrills.ShouldBeNull();
    }

    [Fact]
    public void Overrides_win_and_printed_config_loads_back_identically()
    {
        var config = TrainConfigFile.Load(null, ["rl.steps=5", "warmup.learning-rate=0.01", "model='small'", "rl.prompt_filter.solved_streak_to_skip=2"]);
        config.Rl.Steps.ShouldBe(5);
        config.Warmup.LearningRate.ShouldBe(0.01f);
        config.Model.ShouldBe("small");
        var yaml = TrainConfigFile.ToYaml(config);
        var again = TrainConfigFile.Read(yaml, "printed");
        TrainConfigFile.ToYaml(again).ShouldBe(yaml);
        again.Rl.PromptFilter.ShouldBe(config.Rl.PromptFilter);
    }

    [Fact]
    public void Toolrl_is_off_by_default_and_switched_on_like_otc()
    {
        TrainConfigFile.Load(null).Rl.ToolRl.ShouldBeNull();
        TrainConfigFile.Load(null, ["rl.toolrl={}"]).Rl.ToolRl.ShouldBe(new ToolRlOptions(FormatReward: true));
        TrainConfigFile.Load(null, ["rl.toolrl.format_reward=false"]).Rl.ToolRl.ShouldBe(new ToolRlOptions(FormatReward: false));
        var fromYaml = TrainConfigFile.Read("rl:\n  toolrl: {format_reward: false}\n", "test.yaml");
        fromYaml.Rl.ToolRl.ShouldBe(new ToolRlOptions(FormatReward: false));
        TrainConfigFile.Load(null, ["rl.toolrl={}", "rl.toolrl=null"]).Rl.ToolRl.ShouldBeNull();

        // Printed under the name people type (not the naming policy's "tool_rl"), and it loads back.
        var yaml = TrainConfigFile.ToYaml(TrainConfigFile.Load(null, ["rl.toolrl={}"]));
        yaml.ShouldContain("\n  toolrl:\n    format_reward: true\n");
        TrainConfigFile.Read(yaml, "printed").Rl.ToolRl.ShouldBe(new ToolRlOptions());
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
        var e = Should.Throw<ToolSharpException>(() => TrainConfigFile.Read("rl:\n  steps: 3\n bad: [", "cfg.yaml"));
        e.Message.ShouldStartWith("cfg.yaml:");
    }
}

public class TrainConfigErrorTests
{
    private static string Error(string yaml, params string[] overrides) =>
        Should.Throw<ToolSharpException>(() => TrainConfigFile.Read(yaml, "cfg.yaml", overrides)).Message;

    [Theory]
    [InlineData("rl:\n  steps: 3\n  stpes: 5\n", "cfg.yaml:3:3: rl.stpes: unknown setting (known here: seed, steps, prompts_per_step, ")]
    [InlineData("modle: tiny\n", "cfg.yaml:1:1: modle: unknown setting (known here: environment, model, seed, threads, warmup, rl)")]
    [InlineData("warmup:\n  steps: many\n", "cfg.yaml:2:3: warmup.steps: invalid value: expected a whole number, found \"many\"")]
    [InlineData("warmup:\n  steps: '12'\n", "cfg.yaml:2:3: warmup.steps: invalid value: expected a whole number, found \"12\"")]
    [InlineData("seed: null\n", "cfg.yaml:1:1: seed: invalid value: expected a non-negative whole number, found null")]
    [InlineData("seed: -1\n", "cfg.yaml:1:1: seed: invalid value: expected a non-negative whole number, found -1")]
    [InlineData("rl:\n  estimator: best\n", "cfg.yaml:2:3: rl.estimator: invalid value: expected one of grpo, dr_grpo")]
    [InlineData("rl:\n  dynamic_sampling: yes\n", "cfg.yaml:2:3: rl.dynamic_sampling: invalid value: expected true or false, found \"yes\"")]
    [InlineData("rl:\n  rollout:\n    max_turns: {a: 1}\n", "cfg.yaml:3:5: rl.rollout.max_turns: invalid value: expected a whole number or null, found a mapping")]
    [InlineData("rl: 5\n", "cfg.yaml:1:1: rl: invalid value: expected a mapping of settings, found 5")]
    [InlineData("rl:\n  toolrl: {format_reward: 1}\n", "cfg.yaml:2:12: rl.toolrl.format_reward: invalid value: expected true or false, found 1")]
    [InlineData("rl:\n  rollout:\n    construction: nested\n", "cfg.yaml:3:5: rl.rollout.construction: invalid value: expected one of native, packed, found \"nested\"")]
    [InlineData("rl:\n  rollout:\n    history: windw:3\n", "cfg.yaml:3:5: rl.rollout.history: unknown history policy 'windw:3' (expected keep | drop-reasoning | window:K | truncate:N, combined with '+')")]
    [InlineData("- 1\n", "cfg.yaml:1:1: expected a mapping of settings at the top level")]
    [InlineData("seed: 1\n---\nseed: 2\n", "cfg.yaml:3:1: expected one YAML document, found 2")]
    [InlineData("? [a, b]\n: 1\n", "cfg.yaml:1:3: (top level): expected a setting name, found a list")]
    public void A_bad_file_is_one_line_naming_file_line_column_and_key(string yaml, string message)
    {
        var error = Error(yaml);
        error.ShouldStartWith(message);
        error.ShouldNotContain("\n");
    }

    [Fact]
    public void An_error_is_placed_where_the_key_was_last_set()
    {
        // The file's value is replaced by the override, so the override is to blame...
        Error("rl:\n  steps: 3\n", "rl.steps=many").ShouldBe("override 'rl.steps=many': rl.steps: invalid value: expected a whole number, found \"many\"");
        Error("rl:\n  toolrl: {}\n", "rl.toolrl={format_reward: maybe}").ShouldStartWith("override 'rl.toolrl={format_reward: maybe}': rl.toolrl.format_reward: ");
        // ...and a file key no override touched is still found in the file.
        Error("rl:\n  steps: many\n", "rl.seed=2").ShouldStartWith("cfg.yaml:2:3: rl.steps: ");
        // An override that merges into a section blames only the keys it set...
        Error("rl:\n  toolrl: {format_reward: true}\n", "rl.toolrl={bogus: 1}").ShouldStartWith("override 'rl.toolrl={bogus: 1}': rl.toolrl.bogus: unknown setting");
        Error("rl:\n  toolrl: {format_reward: maybe}\n", "rl.toolrl={}").ShouldStartWith("cfg.yaml:2:12: rl.toolrl.format_reward: ");
        // ...and a key set again after its section was switched off is the later override's.
        Error("rl:\n  toolrl: {bogus: 1}\n", "rl.toolrl=null", "rl.toolrl.bogus=2").ShouldStartWith("override 'rl.toolrl.bogus=2': rl.toolrl.bogus: unknown setting");
    }

    [Fact]
    public void A_key_set_twice_is_an_error()
    {
        Error("seed: 1\nseed: 2\n").ShouldBe("cfg.yaml:2:1: invalid YAML: Duplicate key seed");
        Error("seed: 1\nwarmup:\n  steps: 2\n  steps: 3\n").ShouldBe("cfg.yaml:4:3: invalid YAML: Duplicate key steps");
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

    [Fact]
    public void The_rollout_view_is_named_as_eval_names_it_and_printed()
    {
        var defaults = TrainConfigFile.Load(null);
        defaults.Rl.Rollout.Settings(null, validation: false).AppendOnly.ShouldBeTrue("RL's default rollouts are append-only");
        var yaml = TrainConfigFile.ToYaml(defaults);
        yaml.ShouldContain("    history: \"keep\"\n    construction: \"native\"\n");

        var packed = TrainConfigFile.Load(null, ["rl.rollout.construction=packed", "rl.rollout.history=drop-reasoning+truncate:40"]);
        packed.Rl.Rollout.View.Name.ShouldBe("drop-reasoning+truncate:40|packed", "the view toolsharp eval --history drop-reasoning+truncate:40 --template packed builds");
        packed.Rl.Rollout.Settings(null, validation: true).View.Name.ShouldBe(packed.Rl.Rollout.Settings(null, validation: false).View.Name, "validation sees what training sees");
        TrainConfigFile.Read(TrainConfigFile.ToYaml(packed), "printed").ShouldBe(packed);

        Should.Throw<ToolSharpException>(() => TrainConfigFile.Load(null, ["rl.rollout.history=window:x"]))
            .Message.ShouldBe("override 'rl.rollout.history=window:x': rl.rollout.history: history policy 'window:x': expected a whole number after ':', found 'x'");
    }
}
