using System.Text.Json;
using ToolSharp.Models;
using ToolSharp.Models.Configuration;
using ToolSharp.Testing;
using ToolSharp.Text.Builtin;

namespace ToolSharp.Cli.Tests;

/// <summary>train and bench rl end to end on a micro model with a handful of steps.</summary>
[Collection("EngineThreads")]
public class TrainCommandTests
{
    private static readonly string[] Small =
    [
        "--set", "threads=1",
        "--set", "warmup.demonstrations=16", "--set", "warmup.steps=3", "--set", "warmup.checkpoint_every=0",
        "--set", "rl.prompts_per_step=2", "--set", "rl.rollouts_per_prompt=2", "--set", "rl.update_rollouts_per_prompt=1",
        "--set", "rl.validation_tasks=2", "--set", "rl.rollout.max_new_tokens_per_turn=16", "--set", "rl.rollout.max_total_tokens=256",
        "--set", "rl.rollout.max_turns=2",
    ];

    private static string MicroModel(TempDirectory dir)
    {
        var path = Path.Combine(dir.Path, "micro");
        Transformer.Create(ModelPresets.Tiny(BuiltinTokenizer.Size) with { HiddenSize = 32, NumLayers = 1, NumHeads = 2, NumKvHeads = 1, HeadDim = 16, IntermediateSize = 64 }, 5).Save(path);
        return path;
    }

    [Fact]
    public void Train_writes_a_run_and_resume_of_a_finished_run_changes_nothing()
    {
        using var dir = new TempDirectory();
        var run = Path.Combine(dir.Path, "run");
        var result = CliRunner.Run(["train", "--out", run, "--model", MicroModel(dir), "--steps", "2", "--json", .. Small]);
        result.ExitCode.ShouldBe(0, result.Err);
        using var summary = JsonDocument.Parse(result.Out);
        summary.RootElement.GetProperty("steps").GetInt64().ShouldBe(2);
        summary.RootElement.GetProperty("final_val_accuracy").GetDouble().ShouldBeInRange(0, 1);
        summary.RootElement.GetProperty("blas").GetString().ShouldBe(Tensors.Kernels.Gemm.ActiveName);
        result.Err.Split('\n')[0].ShouldContain($"GEMM {Tensors.Kernels.Gemm.ActiveName} (");
        File.Exists(Path.Combine(run, "model.safetensors")).ShouldBeTrue();

        var again = CliRunner.Run("train", "--resume", run, "--json");
        again.ExitCode.ShouldBe(0, again.Err);
        JsonDocument.Parse(again.Out).RootElement.GetProperty("steps").GetInt64().ShouldBe(2);

        var clash = CliRunner.Run("train", "--out", run);
        clash.ExitCode.ShouldBe(2);
        clash.Err.ShouldContain("--resume");
    }

    [Fact]
    public void Train_packed_on_arith_memory_records_the_view_and_eval_of_the_run_uses_it()
    {
        using var dir = new TempDirectory();
        var run = Path.Combine(dir.Path, "run");
        string[] view = ["--set", "rl.rollout.construction=packed", "--set", "rl.rollout.history=drop-reasoning"];
        var result = CliRunner.Run(["train", "--out", run, "--model", "tiny", "--env", "arith-memory:turns=2-3", "--steps", "2", "--json", .. Small, .. view]);
        result.ExitCode.ShouldBe(0, result.Err);
        using var summary = JsonDocument.Parse(result.Out);
        summary.RootElement.GetProperty("steps").GetInt64().ShouldBe(2);
        summary.RootElement.GetProperty("history").GetString().ShouldBe("drop-reasoning");
        summary.RootElement.GetProperty("construction").GetString().ShouldBe("packed");
        File.ReadAllText(Path.Combine(run, "train_config.yaml")).ShouldContain("    history: \"drop-reasoning\"\n    construction: \"packed\"\n");

        var eval = CliRunner.Run("eval", "-m", $"builtin:{run}", "-e", "arith-memory:turns=2-3", "-n", "2", "--system-prompt", "none", "--out", Path.Combine(dir.Path, "eval.db"));
        eval.ExitCode.ShouldBe(0, eval.Err);
        eval.Err.ShouldContain($"--template packed: the view builtin:{run} was trained with (its generation_config.json)");
        eval.Err.ShouldContain($"--history drop-reasoning: the view builtin:{run} was trained with");
        var native = CliRunner.Run("eval", "-m", $"builtin:{run}", "-e", "arith-memory:turns=2-3", "-n", "2", "--template", "native", "--history", "keep", "--out", Path.Combine(dir.Path, "native.db"));
        native.ExitCode.ShouldBe(0, native.Err);
        native.Err.ShouldNotContain("was trained with", customMessage: "levels given on the command line win");
    }

    [Theory]
    [InlineData("rl.rollout.construction=nested", "rl.rollout.construction: invalid value: expected one of native, packed, found \"nested\"")]
    [InlineData("rl.rollout.history=windw:3", "rl.rollout.history: unknown history policy 'windw:3' (expected keep | drop-reasoning | window:K | truncate:N, combined with '+')")]
    public void Train_rejects_an_unknown_view_level_in_one_line_listing_the_valid_ones(string setting, string message)
    {
        var result = CliRunner.Run("train", "--set", setting, "--print-config");
        result.ExitCode.ShouldBe(1);
        result.Err.Trim().ShouldBe($"error: override '{setting}': {message}");
    }

    [Fact]
    public void Train_rejects_an_unknown_setting_with_its_name()
    {
        var result = CliRunner.Run("train", "--set", "rl.stepz=3", "--print-config");
        result.ExitCode.ShouldBe(1);
        result.Err.ShouldContain("rl.stepz");
    }

    [Fact]
    public void Bench_rl_prints_the_documented_json()
    {
        using var dir = new TempDirectory();
        var result = CliRunner.Run(["bench", "rl", "--from", MicroModel(dir), "--out", Path.Combine(dir.Path, "bench"), "--seeds", "2",
            "--methods", "grpo,filter+downsample", "--json", "--set", "rl.steps=2", "--set", "rl.validate_every=1", .. Small]);
        result.ExitCode.ShouldBe(0, result.Err);
        using var json = JsonDocument.Parse(result.Out);
        var methods = json.RootElement.GetProperty("methods").EnumerateArray().ToList();
        methods.Select(m => m.GetProperty("name").GetString()).ShouldBe(["grpo", "filter+downsample"]);
        foreach (var m in methods)
        {
            m.GetProperty("seeds").GetInt32().ShouldBe(2);
            m.GetProperty("final_accuracy_ci").GetArrayLength().ShouldBe(2);
            m.TryGetProperty("time_to_target_s", out _).ShouldBeTrue();
            m.TryGetProperty("speedup_vs_grpo", out _).ShouldBeTrue();
            m.TryGetProperty("tool_calls_per_solved", out _).ShouldBeTrue();
            m.GetProperty("final_entropy").GetDouble().ShouldBeGreaterThan(0);
        }
        var runs = json.RootElement.GetProperty("runs").EnumerateArray().ToList();
        runs.Count.ShouldBe(4);
        foreach (var run in runs)
        {
            run.GetProperty("validation").GetArrayLength().ShouldBe(3); // before RL, after step 1 and 2
            run.GetProperty("steps").EnumerateArray().Select(s => s.GetProperty("step").GetInt64()).ShouldBe([1L, 2]);
        }
        json.RootElement.GetProperty("environment").GetString().ShouldNotBeNullOrEmpty();
        json.RootElement.TryGetProperty("target_accuracy", out _).ShouldBeTrue();
        File.Exists(Path.Combine(dir.Path, "bench", "ablation.svg")).ShouldBeTrue();
        var html = File.ReadAllText(Path.Combine(dir.Path, "bench", "ablation.html"));
        foreach (var chart in new[] { "accuracy-vs-time", "entropy", "post-tool-entropy", "tool-calls", "train-accuracy" })
            html.ShouldContain($"data-chart=\"{chart}\"");
    }
}
