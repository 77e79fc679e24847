using ToolSharp.Environments.Catalog;
using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using ToolSharp.Core.Diagnostics;
using ToolSharp.Core.Errors;
using ToolSharp.Core.History;
using ToolSharp.Environments.Episodes;
using ToolSharp.Models;
using ToolSharp.Models.Checkpoints;
using ToolSharp.Models.Configuration;
using ToolSharp.Models.Training;
using ToolSharp.Tensors.Kernels;
using ToolSharp.Text.Builtin;
using ToolSharp.Training.Grpo;
using ToolSharp.Training.Metrics;
using ToolSharp.Inference.Policies;
using ToolSharp.Inference.Rendering;

namespace ToolSharp.Training.Pipeline;

/// <summary>Runs a whole training job in a run directory: supervised warm-up on demonstrations, then RL, then the
/// exported model and summary.json. Every phase checkpoints, so an interrupted run resumes where it stopped.</summary>
/// <remarks>
/// Layout of the run directory: <c>train_config.yaml</c> (the resolved config; a resume reads it back),
/// <c>warmup/checkpoints/</c>, <c>warmup/done.json</c>, <c>checkpoints/</c> (RL), <c>metrics.jsonl</c> (one line per
/// RL step), and at the end the final model (<c>config.json</c>, <c>model.safetensors</c>, <c>tokenizer.json</c>,
/// <c>trainer_state.json</c>) and <c>summary.json</c>.
/// </remarks>
public sealed class TrainingRun
{
    public const string ConfigFile = "train_config.yaml";
    public const string SummaryFile = "summary.json";
    public const string MetricsFile = "metrics.jsonl";

    private static readonly JsonSerializerOptions SummaryJson = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        WriteIndented = true,
    };

    private IRolloutRenderer _renderer = BuiltinRolloutRenderer.Instance;

    public TrainingRun(TrainConfig config, string directory)
    {
        Config = config;
        Directory = directory;
    }

    public TrainConfig Config { get; }

    public string Directory { get; }

    /// <summary>Called after every warm-up step.</summary>
    public Action<SftProgress>? OnWarmupStep { get; init; }

    /// <summary>Called after every RL step.</summary>
    public Action<StepMetrics>? OnRlStep { get; init; }

    /// <summary>Called with a short status line when a phase starts or a validation runs.</summary>
    public Action<string>? OnStatus { get; init; }

    /// <summary>Opens an existing run directory with the config it was started with.</summary>
    public static TrainingRun Open(string directory, IEnumerable<string>? overrides = null)
    {
        var path = Path.Combine(directory, ConfigFile);
        if (!File.Exists(path)) throw new ToolSharpException($"{directory}: not a training run (no {ConfigFile}); start one with toolsharp train --out {directory}");
        return new TrainingRun(TrainConfigFile.Load(path, overrides), directory);
    }

    /// <summary>Runs (or continues) the job to the end and returns its summary.</summary>
    public TrainSummary Run(CancellationToken cancellation = default)
    {
        System.IO.Directory.CreateDirectory(Directory);
        File.WriteAllText(Path.Combine(Directory, ConfigFile), TrainConfigFile.ToYaml(Config));
        EngineThreads.Set(Config.Threads > 0 ? Config.Threads : Environment.ProcessorCount);
        var environment = EnvironmentCatalog.Create(Config.Environment);
        var start = CreateModel(Config);
        var model = start.Model;
        _renderer = start.Renderer;
        var extra = ExtraFiles(start.Folder);
        CheckTemplateDrift(environment, start.Options);

        var rlStore = new CheckpointStore(Directory);
        var rlCheckpoint = rlStore.Latest;
        var warmupSeconds = rlCheckpoint is null ? Warmup(model, environment, extra, cancellation) : ReadWarmupSeconds();

        var trainer = new GrpoTrainer(model, _renderer, environment, Config.Rl with { Seed = Config.Rl.Seed ^ Config.Seed });
        var log = new MetricsLog(Path.Combine(Directory, MetricsFile));
        if (rlCheckpoint is not null)
        {
            trainer.Resume(rlCheckpoint);
            log.TruncateAfter(trainer.Step);
            OnStatus?.Invoke($"resumed RL at step {trainer.Step} from {rlCheckpoint}");
        }
        else
        {
            if (File.Exists(log.Path)) File.Delete(log.Path);
            OnStatus?.Invoke("validating the warmed-up model");
            var accuracy = trainer.Validate(cancellation);
            OnStatus?.Invoke($"warm-up validation accuracy {accuracy:P1}");
        }

        OnStatus?.Invoke($"RL: {Config.Rl.Steps} steps");
        trainer.Run(new Progress(OnRlStep), rlStore, log, extra, cancellation);
        if (trainer.ValidationHistory[^1].Step != trainer.Step)
        {
            trainer.Validate(cancellation);
            trainer.SaveCheckpoint(rlStore, extra);
        }
        return Finish(trainer, rlStore.Latest!, warmupSeconds, model, extra);
    }

    /// <summary>The model a run starts from and its renderer: a built-in preset initialised from the seed, or a saved
    /// model — one of the built-in tokenizer, or a Hugging Face folder rendered with its own tokenizer and chat template
    /// (<c>DIR#options</c>, see <see cref="ChatTemplateOptions"/>).</summary>
    internal static StartingModel CreateModel(TrainConfig config)
    {
        if (ModelPresets.Names.Contains(config.Model))
        {
            var renderer = BuiltinRolloutRenderer.Instance;
            return new StartingModel(Transformer.Create(ModelPresets.Get(config.Model, renderer.VocabularySize), config.Seed), renderer, null, ChatTemplateOptions.Default);
        }
        var (directory, options) = ChatTemplateOptions.Split(config.Model);
        if (!System.IO.Directory.Exists(directory))
            throw new ToolSharpException($"model '{config.Model}': expected a preset ({string.Join(", ", ModelPresets.Names)}) or a directory with config.json and model.safetensors");
        var model = Transformer.Load(directory);
        return new StartingModel(model, RolloutRenderers.ForModel(directory, model.Config, options), directory, options);
    }

    /// <summary>Files every checkpoint carries besides the weights: the tokenizer (the built-in one, or the folder's
    /// tokenizer and template files, so the run's model is again a Hugging Face folder), and generation_config.json
    /// with the rollouts' token limits and, when it is not keep + native, their view, so <c>toolsharp eval -m builtin:RUN</c>
    /// validates alike.</summary>
    private Dictionary<string, string> ExtraFiles(string? source)
    {
        var rollout = Config.Rl.Rollout;
        var appendOnly = rollout.Settings(Config.Rl.Instructions, validation: false).AppendOnly;
        var limits = new GenerationDefaults(rollout.MaxNewTokensPerTurn, rollout.MaxTotalTokens,
            appendOnly ? null : rollout.History, appendOnly ? null : rollout.Construction.ToName());
        if (source is null || _renderer is not ChatTemplateRolloutRenderer)
            return new Dictionary<string, string>
            {
                ["tokenizer.json"] = BuiltinTokenizer.Instance.ToTokenizerJson(),
                [GenerationDefaults.FileName] = limits.ToJson(),
            };
        var extra = ChatTemplateFolder.TextFiles.Where(f => File.Exists(Path.Combine(source, f)))
            .ToDictionary(f => f, f => File.ReadAllText(Path.Combine(source, f)));
        extra[GenerationDefaults.FileName] = limits.MergeInto(Path.Combine(source, GenerationDefaults.FileName));
        return extra;
    }

    /// <summary>Refuses a Hugging Face model whose template drifts on the environment's demonstration (see
    /// <see cref="TemplateDriftCheck"/>), unless the model spec accepts it. The check concerns append-only rollouts
    /// (history keep, native construction), which append each turn's tokens to the sequence so far; a view that
    /// re-renders the prompt every turn feeds the model the template's own render of each prompt, so drift does not
    /// apply and the status line says so.</summary>
    private void CheckTemplateDrift(IEnvironment environment, ChatTemplateOptions options)
    {
        if (_renderer is not ChatTemplateRolloutRenderer) return;
        var settings = Config.Rl.Rollout.Settings(Config.Rl.Instructions, validation: false);
        if (!settings.AppendOnly)
        {
            OnStatus?.Invoke($"chat template: drift check not applicable: rollouts re-render the prompt every turn (view {settings.View.Name}) and train segment by segment");
            return;
        }
        TaskSampling.RequireSplit(environment, Config.Rl.TrainSplit, "rl.train_split");
        var sample = TemplateDriftCheck.Sample(environment, environment.GetTask(Config.Rl.TrainSplit, 0), Config.Rl.Instructions);
        var drift = TemplateDriftCheck.Require(_renderer, sample, options.AcceptDrift,
            $"train on the turn-by-turn tokens anyway with --model '{ChatTemplateOptions.Split(Config.Model).Directory}#accept_drift=true', "
            + "or set rl.rollout.construction=packed or a history policy other than keep (the prompt is then re-rendered every turn)");
        OnStatus?.Invoke(drift.HasDrift ? $"template drift accepted: {drift.Description}" : "chat template: turn-by-turn rollout tokens equal the full render");
    }

    private double Warmup(Transformer model, IEnvironment environment, IReadOnlyDictionary<string, string> extra, CancellationToken cancellation)
    {
        var options = Config.Warmup;
        var donePath = Path.Combine(WarmupDirectory, "done.json");
        var progressPath = Path.Combine(WarmupDirectory, "progress.json");
        var store = new CheckpointStore(WarmupDirectory, keep: 1);
        if (File.Exists(donePath) && store.Latest is { } finished)
        {
            CheckpointStore.Restore(finished, model, optimizer: null);
            return ReadWarmupSeconds();
        }
        if (options.Demonstrations <= 0 || options.Steps <= 0) return 0;

        var watch = Stopwatch.StartNew();
        var warmup = new SupervisedWarmup(Config, model, environment, _renderer);
        var sft = warmup.Trainer;
        var log = new MetricsLog(WarmupMetricsPath);
        var previousSeconds = 0.0;
        if (store.Latest is { } latest)
        {
            sft.Resume(latest);
            previousSeconds = ReadSeconds(progressPath);
            log.TruncateAfter(sft.Step);
            OnStatus?.Invoke($"resumed warm-up at step {sft.Step}");
        }
        else if (File.Exists(log.Path)) File.Delete(log.Path);
        var drills = options.CopyDrills is { } d ? $", copy drills in the first {d.Steps} steps" : "";
        OnStatus?.Invoke($"warm-up: {options.Steps} supervised steps on {warmup.Demonstrations} demonstrations{drills}");
        System.IO.Directory.CreateDirectory(WarmupDirectory);
        var window = new List<SftProgress>();
        while (sft.Step < options.Steps)
        {
            cancellation.ThrowIfCancellationRequested();
            var p = sft.TrainStep();
            window.Add(p);
            OnWarmupStep?.Invoke(p);
            if (options.ProbeEvery > 0 && (sft.Step % options.ProbeEvery == 0 || sft.Step == options.Steps))
            {
                var copy = warmup.Probe?.Measure(model);
                log.Append(new WarmupMetrics(sft.Step, Math.Round(window.Average(w => w.Loss), 5), p.LearningRate,
                    Math.Round(window.Average(w => w.TokensPerSecond)), copy is { } c ? Math.Round(c, 4) : null,
                    Math.Round(previousSeconds + watch.Elapsed.TotalSeconds, 2)));
                window.Clear();
                if (copy is { } accuracy) OnStatus?.Invoke(FormattableString.Invariant($"warm-up step {sft.Step}: copy accuracy {accuracy:P1}"));
            }
            if (options.CheckpointEvery > 0 && sft.Step % options.CheckpointEvery == 0 && sft.Step < options.Steps)
            {
                WriteSeconds(progressPath, previousSeconds + watch.Elapsed.TotalSeconds);
                sft.SaveCheckpoint(store, extra);
            }
        }
        sft.SaveCheckpoint(store, extra);
        var seconds = previousSeconds + watch.Elapsed.TotalSeconds;
        WriteSeconds(donePath, seconds);
        return seconds;
    }

    private TrainSummary Finish(GrpoTrainer trainer, string checkpoint, double warmupSeconds, Transformer model, IReadOnlyDictionary<string, string> extra)
    {
        foreach (var file in new[] { "config.json", "model.safetensors", "trainer_state.json" }.Concat(extra.Keys))
            File.Copy(Path.Combine(checkpoint, file), Path.Combine(Directory, file), overwrite: true);
        var steps = MetricsLog.Read(Path.Combine(Directory, MetricsFile));
        var validationSeconds = trainer.Timer.Total.GetValueOrDefault(PhaseTimer.Validation);
        var rlSeconds = trainer.TrainingSeconds + validationSeconds;
        var rollouts = steps.Sum(s => (long)s.Rollouts);
        var probes = MetricsLog.Read<WarmupMetrics>(WarmupMetricsPath);
        var summary = new TrainSummary
        {
            Environment = Config.Environment,
            Model = Config.Model,
            Parameters = model.Parameters.Sum(p => (long)p.Length),
            Blas = Gemm.ActiveName,
            Seed = Config.Seed,
            WarmupValAccuracy = trainer.ValidationHistory[0].Accuracy,
            FinalValAccuracy = trainer.ValidationHistory[^1].Accuracy,
            ValidationTasks = Config.Rl.ValidationTasks,
            History = Config.Rl.Rollout.History,
            Construction = Config.Rl.Rollout.Construction.ToName(),
            WallClockS = Math.Round(warmupSeconds + rlSeconds, 1),
            WarmupS = Math.Round(warmupSeconds, 1),
            RlS = Math.Round(rlSeconds, 1),
            Steps = trainer.Step,
            WarmupSteps = Config.Warmup.Demonstrations > 0 ? Config.Warmup.Steps : 0,
            WarmupCopyAccuracy = probes.LastOrDefault()?.CopyAccuracy,
            WarmupCopyStep = probes.FirstOrDefault(m => m.CopyAccuracy >= CopyProbe.TransitionThreshold)?.Step,
            PromptsSkipped = trainer.Filter?.SkippedPrompts ?? 0,
            RolloutsSavedByFilter = (trainer.Filter?.SkippedPrompts ?? 0) * Config.Rl.GroupSize,
            Rollouts = rollouts,
            RolloutsTrained = steps.Sum(s => (long)s.RolloutsTrained),
            ToolCallsPerRollout = rollouts == 0 ? 0 : Math.Round(steps.Sum(s => s.ToolCallsMean * s.Rollouts) / rollouts, 3),
            Phases = trainer.Timer.Total.ToDictionary(kv => kv.Key, kv => Math.Round(kv.Value, 2)),
            Validation = trainer.ValidationHistory.Select(v => v with { TrainingS = Math.Round(v.TrainingS, 1), ToolCallsPerSolved = Math.Round(v.ToolCallsPerSolved, 3) }).ToList(),
        };
        File.WriteAllText(Path.Combine(Directory, SummaryFile), JsonSerializer.Serialize(summary, SummaryJson));
        return summary;
    }

    private string WarmupDirectory => Path.Combine(Directory, "warmup");

    private string WarmupMetricsPath => Path.Combine(WarmupDirectory, MetricsFile);

    private double ReadWarmupSeconds() => ReadSeconds(Path.Combine(WarmupDirectory, "done.json"));

    private static double ReadSeconds(string path) =>
        File.Exists(path) ? JsonNode.Parse(File.ReadAllText(path))?["seconds"]?.GetValue<double>() ?? 0 : 0;

    private static void WriteSeconds(string path, double seconds)
    {
        var temp = path + ".tmp";
        File.WriteAllText(temp, new JsonObject { ["seconds"] = Math.Round(seconds, 2) }.ToJsonString());
        File.Move(temp, path, overwrite: true);
    }

    private sealed class Progress(Action<StepMetrics>? report) : IProgress<StepMetrics>
    {
        public void Report(StepMetrics value) => report?.Invoke(value);
    }
}
