using System.Text.Json.Nodes;
using ToolSharp.Models;
using ToolSharp.Models.Configuration;
using ToolSharp.Testing;
using ToolSharp.Text.Builtin;
using ToolSharp.Training.Pipeline;
using ToolSharp.Training.Rollouts;

namespace ToolSharp.Training.Tests.Pipeline;

/// <summary>A whole (very small) training job: warm-up, RL, export, and exact resume after an interruption.</summary>
public class TrainingRunTests
{
    private static TrainConfig Config(string modelDir) => TrainConfigFile.Load(null,
    [
        $"model='{modelDir}'", "seed=3", "threads=1",
        "warmup.demonstrations=24", "warmup.steps=6", "warmup.batch_tokens=2048", "warmup.checkpoint_every=2", "warmup.warmup_steps=1",
        "warmup.copy_drills={fraction: 0.25, steps: 3}", "warmup.probe_every=2", "warmup.probe_tasks=4",
        "rl.steps=4", "rl.prompts_per_step=2", "rl.rollouts_per_prompt=3", "rl.update_rollouts_per_prompt=2", "rl.prompt_pool=6",
        "rl.prompt_filter.solved_streak_to_skip=1", "rl.validation_tasks=2", "rl.validate_every=2", "rl.checkpoint_every=1",
        "rl.rollout.max_new_tokens_per_turn=24", "rl.rollout.max_total_tokens=320", "rl.rollout.max_turns=2",
    ]);

    private static string MicroModel(TempDirectory dir)
    {
        var config = ModelPresets.Tiny(BuiltinTokenizer.Size) with { HiddenSize = 32, NumLayers = 2, NumHeads = 2, NumKvHeads = 1, HeadDim = 16, IntermediateSize = 64 };
        var path = Path.Combine(dir.Path, "init");
        Transformer.Create(config, 11).Save(path);
        return path;
    }

    [Fact]
    public void A_run_writes_the_model_metrics_and_summary()
    {
        using var dir = new TempDirectory();
        var runDir = Path.Combine(dir.Path, "run");
        var summary = new TrainingRun(Config(MicroModel(dir)), runDir).Run();
        summary.Steps.ShouldBe(4);
        summary.Validation.Select(v => v.Step).ShouldBe([0L, 2, 4]);
        foreach (var file in new[] { "config.json", "model.safetensors", "tokenizer.json", "trainer_state.json", "metrics.jsonl", "summary.json", "train_config.yaml" })
            File.Exists(Path.Combine(runDir, file)).ShouldBeTrue(file);
        var json = JsonNode.Parse(File.ReadAllText(Path.Combine(runDir, "summary.json")))!;
        foreach (var key in new[] { "warmup_val_accuracy", "warmup_copy_accuracy", "final_val_accuracy", "wall_clock_s", "steps", "prompts_skipped" })
            json[key].ShouldNotBeNull(key);
        File.ReadAllLines(Path.Combine(runDir, "metrics.jsonl")).Length.ShouldBe(4);
        var probes = File.ReadAllLines(Path.Combine(runDir, "warmup", "metrics.jsonl")).Select(l => JsonNode.Parse(l)!).ToList();
        probes.Select(p => p["step"]!.GetValue<long>()).ShouldBe([2L, 4, 6]);
        probes.ShouldAllBe(p => p["copy_accuracy"]!.GetValue<double>() >= 0 && p["copy_accuracy"]!.GetValue<double>() <= 1);
        json["warmup_copy_accuracy"]!.GetValue<double>().ShouldBe(probes[^1]["copy_accuracy"]!.GetValue<double>());
        BuiltinTokenizer.Matches(Path.Combine(runDir, "tokenizer.json")).ShouldBeTrue();
        Transformer.Load(runDir).Config.NumLayers.ShouldBe(2);
    }

    [Theory]
    [InlineData("warmup", 3)]
    [InlineData("rl", 3)]
    public void An_interrupted_run_resumes_to_the_identical_result(string phase, int stopAfter)
    {
        using var dir = new TempDirectory();
        var model = MicroModel(dir);
        var straightDir = Path.Combine(dir.Path, "straight");
        new TrainingRun(Config(model), straightDir).Run();

        var resumedDir = Path.Combine(dir.Path, "resumed");
        using var cancel = new CancellationTokenSource();
        var interrupted = new TrainingRun(Config(model), resumedDir)
        {
            OnWarmupStep = p => { if (phase == "warmup" && p.Step == stopAfter) cancel.Cancel(); },
            OnRlStep = m => { if (phase == "rl" && m.Step == stopAfter) cancel.Cancel(); },
        };
        Should.Throw<OperationCanceledException>(() => interrupted.Run(cancel.Token));
        File.Exists(Path.Combine(resumedDir, "summary.json")).ShouldBeFalse();

        TrainingRun.Open(resumedDir).Run();

        File.ReadAllBytes(Path.Combine(resumedDir, "model.safetensors")).ShouldBe(File.ReadAllBytes(Path.Combine(straightDir, "model.safetensors")));
        var straightSteps = File.ReadAllLines(Path.Combine(straightDir, "metrics.jsonl")).Select(StripTimes).ToList();
        var resumedSteps = File.ReadAllLines(Path.Combine(resumedDir, "metrics.jsonl")).Select(StripTimes).ToList();
        resumedSteps.ShouldBe(straightSteps);
        string[] WarmupLines(string run) => [.. File.ReadAllLines(Path.Combine(run, "warmup", "metrics.jsonl")).Select(StripTimes)];
        WarmupLines(resumedDir).ShouldBe(WarmupLines(straightDir));
    }

    /// <summary>A metrics line without its wall-clock fields (the only thing allowed to differ).</summary>
    private static string StripTimes(string line)
    {
        var node = JsonNode.Parse(line)!.AsObject();
        foreach (var key in new[] { "wall_clock_seconds", "step_seconds", "phases", "generation_tokens_per_second", "seconds", "tokens_per_second" }) node.Remove(key);
        return node.ToJsonString();
    }
}
