using System.Text.Json;
using System.Text.Json.Nodes;
using ToolSharp.Environments.Catalog;
using ToolSharp.Environments.Episodes;
using ToolSharp.Evaluation.Agent;
using ToolSharp.Core.WireFormats;
using ToolSharp.Inference.Policies;
using ToolSharp.Inference.Rendering;
using ToolSharp.Models;
using ToolSharp.Models.Configuration;
using ToolSharp.Testing;
using ToolSharp.Text.Builtin;
using ToolSharp.Training.Pipeline;
using ToolSharp.Training.Grpo;
using ToolSharp.Training.Metrics;

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
        "rl.prompt_filter.solved_streak_to_skip=1", "rl.validation_tasks=6", "rl.validate_every=2", "rl.checkpoint_every=1",
        "rl.rollout.max_new_tokens_per_turn=24", "rl.rollout.max_total_tokens=320", "rl.rollout.max_turns=2",
    ]);

    private static readonly JsonSerializerOptions SummaryJson = new() { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower, WriteIndented = true };

    private static string MicroModel(TempDirectory dir)
    {
        var config = ModelPresets.Tiny(BuiltinTokenizer.Size) with { HiddenSize = 32, NumLayers = 2, NumHeads = 2, NumKvHeads = 1, HeadDim = 16, IntermediateSize = 64 };
        var path = Path.Combine(dir.Path, "init");
        Transformer.Create(config, 11).Save(path);
        return path;
    }

    [Fact]
    public async Task A_run_writes_a_summary_its_metrics_agree_with_and_a_model_that_scores_its_validation_accuracy()
    {
        using var dir = new TempDirectory();
        var runDir = Path.Combine(dir.Path, "run");
        var config = Config(MicroModel(dir));
        var summary = new TrainingRun(config, runDir).Run();

        // summary.json is the summary the run returned.
        File.ReadAllText(Path.Combine(runDir, TrainingRun.SummaryFile)).ShouldBe(JsonSerializer.Serialize(summary, SummaryJson));
        summary.Steps.ShouldBe(4);
        summary.Validation.Select(v => v.Step).ShouldBe([0L, 2, 4]);
        summary.WarmupValAccuracy.ShouldBe(summary.Validation[0].Accuracy);
        summary.FinalValAccuracy.ShouldBe(summary.Validation[^1].Accuracy);
        summary.WarmupSteps.ShouldBe(6);
        summary.WallClockS.ShouldBe(summary.WarmupS + summary.RlS, 0.1 + 1e-9);

        // metrics.jsonl: one line per RL step, adding up to the summary's totals and carrying the same validations.
        var steps = MetricsLog.Read(Path.Combine(runDir, TrainingRun.MetricsFile));
        steps.Select(m => m.Step).ShouldBe([1L, 2, 3, 4]);
        steps.Sum(m => (long)m.Rollouts).ShouldBe(summary.Rollouts);
        steps.Sum(m => (long)m.RolloutsTrained).ShouldBe(summary.RolloutsTrained);
        summary.Rollouts.ShouldBeGreaterThan(0);
        foreach (var m in steps)
        {
            m.Rollouts.ShouldBe((m.PromptsRolledOut) * 3, $"step {m.Step}: 3 rollouts per prompt rolled out");
            m.RolloutsTrained.ShouldBeLessThanOrEqualTo(m.PromptsRolledOut * 2, $"step {m.Step}: down-sampled to 2 per prompt");
        }
        steps.Last().PromptsSkippedTotal.ShouldBe(summary.PromptsSkipped);
        steps.Where(m => m.ValidationAccuracy is not null).Select(m => (m.Step, m.ValidationAccuracy!.Value))
            .ShouldBe(summary.Validation.Skip(1).Select(v => (v.Step, v.Accuracy)));

        // The exported files: the resolved config loads back, the rollout limits are the checkpoint's generation
        // defaults, the tokenizer is the built-in one, and the trainer state is at the last step.
        TrainingRun.Open(runDir).Config.ShouldBe(config);
        GenerationDefaults.Read(runDir).ShouldBe(new GenerationDefaults(MaxNewTokens: 24, MaxLength: 320));
        var json = JsonNode.Parse(File.ReadAllText(Path.Combine(runDir, "summary.json")))!;
        var probes = File.ReadAllLines(Path.Combine(runDir, "warmup", "metrics.jsonl")).Select(l => JsonNode.Parse(l)!).ToList();
        probes.Select(p => p["step"]!.GetValue<long>()).ShouldBe([2L, 4, 6]);
        probes.ShouldAllBe(p => p["copy_accuracy"]!.GetValue<double>() >= 0 && p["copy_accuracy"]!.GetValue<double>() <= 1);
        json["warmup_copy_accuracy"]!.GetValue<double>().ShouldBe(probes[^1]["copy_accuracy"]!.GetValue<double>());
        BuiltinTokenizer.Matches(Path.Combine(runDir, "tokenizer.json")).ShouldBeTrue();
        JsonNode.Parse(File.ReadAllText(Path.Combine(runDir, "trainer_state.json")))!["step"]!.GetValue<long>().ShouldBe(4);

        // The exported weights are the trained ones, and evaluating them as `toolsharp eval -m builtin:RUN
        // --system-prompt none` does (with the run's turn limit) repeats RL validation of them episode for episode,
        // and the run's final validation accuracy. (This micro run solves nothing, so the transcripts, which hold
        // every generated token, are what can tell a wrong limit or a wrong checkpoint apart.)
        File.ReadAllBytes(Path.Combine(runDir, "model.safetensors")).ShouldNotBe(File.ReadAllBytes(Path.Combine(config.Model, "model.safetensors")));
        var environment = EnvironmentCatalog.Create(config.Environment);
        var validator = new GrpoTrainer(Transformer.Load(runDir), BuiltinRolloutRenderer.Instance, environment, config.Rl);
        validator.Validate().ShouldBe(summary.FinalValAccuracy);
        var tasks = validator.ValidationTasks;
        var records = new List<EpisodeRecord>();
        await BuiltinModelBackend.Load(runDir).RunAsync(environment, tasks.Select((t, i) => new EpisodeJob(t, i)).ToList(),
            new AgentSettings { Instructions = config.Rl.Instructions, Limits = EpisodeLimits.Default.Override(config.Rl.Rollout.MaxTurns, null) },
            (_, record) => { records.Add(record); return Task.CompletedTask; });
        records.Select(r => r.TaskId).ShouldBe(tasks.Select(t => t.Id), ignoreOrder: true);
        foreach (var rollout in validator.LastValidation)
        {
            var record = records.Single(r => r.TaskId == rollout.Task.Id);
            record.TranscriptJson.ShouldBe(OpenAiChatJson.ToJson(rollout.Driver.Transcript), rollout.Task.Id);
            record.Ending.ShouldBe(rollout.Ending.WireName(), rollout.Task.Id);
            record.Reward.ShouldBe(rollout.Score.Reward, rollout.Task.Id);
        }
        ((double)records.Count(r => r.Correct) / records.Count).ShouldBe(summary.FinalValAccuracy);
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
