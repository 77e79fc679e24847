using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Nodes;
using ToolSharp.Core.Diagnostics;
using ToolSharp.Core.Errors;
using ToolSharp.Core.History;
using ToolSharp.Core.Randomness;
using ToolSharp.Environments.Episodes;
using ToolSharp.Inference.Rendering;
using ToolSharp.Inference.Rollouts;
using ToolSharp.Models;
using ToolSharp.Models.Checkpoints;
using ToolSharp.Models.Generation;
using ToolSharp.Tensors.Optim;
using ToolSharp.Training.Advantages;
using ToolSharp.Training.Metrics;
using ToolSharp.Training.Prompts;
using ToolSharp.Training.Rewards;
using ToolSharp.Training.Samples;
using ToolSharp.Training.Selection;

namespace ToolSharp.Training.Grpo;

/// <summary>GRPO-family RL over multi-turn tool-using rollouts, with the efficiency techniques switchable: pre-rollout
/// prompt filtering, max-variance rollout down-sampling, DAPO dynamic sampling; plus TAO-RL, OTC and ARPO.</summary>
/// <remarks>
/// One step (<see cref="TrainStep"/>) is a sequence of pure stages over <see cref="Sample"/> records: choose prompts
/// (skipping those the filter says keep being solved) and roll them out → reward (<see cref="RewardFunction"/>) →
/// group advantages (<see cref="GroupAdvantages"/>) → selection (<see cref="SampleSelection"/>: DAPO/TAO group filters,
/// max-variance down-sampling, TAO's all-failed filter) → shaping (<see cref="TokenShaping"/>: ARPO attribution, TAO
/// entropy shaping) → loss and update (<see cref="PolicyUpdater"/>). Rollouts and validation run through the same
/// <see cref="RolloutWorker"/> and episode rules as <c>toolsharp eval</c> of a built-in model. Every phase is timed. The
/// whole state (model, optimizer, <see cref="TrainerState"/>) is checkpointed, and rollout seeds derive from (seed,
/// step, round, prompt), so a resumed run continues exactly as the uninterrupted one would have.
/// </remarks>
public sealed class GrpoTrainer
{
    private static readonly JsonSerializerOptions StateJson = new() { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };

    private readonly IEnvironment _environment;
    private readonly RolloutWorker _worker;
    private readonly RolloutWorker _validator;
    private readonly PolicyUpdater _updater;
    private readonly PromptFilter? _filter;
    private readonly SeededRandom _rng;
    private readonly LearningRateSchedule _schedule;
    private readonly IReadOnlyList<EnvironmentTask> _pool;
    private readonly IReadOnlyList<EnvironmentTask> _validation;
    private readonly Stopwatch _clock = new();
    private double _wallOffset;
    private int _epoch;
    private int _cursor;
    private int[] _order;
    private readonly List<ValidationPoint> _validationHistory = [];

    public GrpoTrainer(Transformer model, IRolloutRenderer renderer, IEnvironment environment, RlOptions options, Transformer? reference = null)
        : this(model, renderer, environment, options, reference, sampling => new GenerationSession(model, sampling))
    {
    }

    /// <summary>A trainer whose rollouts and validation generate through <paramref name="sessions"/> (tests script them).</summary>
    public GrpoTrainer(Transformer model, IRolloutRenderer renderer, IEnvironment environment, RlOptions options, Transformer? reference, Func<SamplingOptions, IGenerationSession> sessions)
    {
        // Checked before anything heavy so a misconfigured run fails at once, naming the setting.
        if (options.ToolRl is not null && environment is not IReferenceCalls)
            throw new ToolSharpException($"rl.toolrl needs an environment with reference calls, such as bfcl; '{environment.Name}' has none");
        if (options.ToolRl is not null && options.Otc is not null)
            throw new ToolSharpException("rl.toolrl and rl.otc both replace the reward; set only one of them");
        var settings = options.Rollout.Settings(options.Instructions, validation: false);
        if (options.Arpo is not null && !settings.AppendOnly)
            throw new ToolSharpException($"rl.arpo branches append-only rollouts: it needs rl.rollout.history=keep and rl.rollout.construction=native, found history {options.Rollout.History} and construction {settings.View.Construction.ToName()}");
        Model = model;
        _environment = environment;
        Options = options;
        var optimizer = new AdamW(model.Parameters, new AdamWOptions(options.LearningRate, Beta2: 0.99f, WeightDecay: options.WeightDecay));
        var sampling = options.Rollout.SamplingOrDefault;
        _updater = new PolicyUpdater(model, optimizer, options.Update with { Temperature = sampling.IsGreedy ? 1f : sampling.Temperature },
            options.Update.KlCoefficient > 0 ? reference : null);
        _worker = new RolloutWorker(sessions, renderer, environment, options.Rollout.Settings(options.Instructions, validation: false, options.Arpo?.Branching));
        _validator = new RolloutWorker(sessions, renderer, environment, options.Rollout.Settings(options.Instructions, validation: true));
        _filter = options.PromptFilter is null ? null : new PromptFilter(options.PromptFilter);
        _rng = new SeededRandom(options.Seed ^ 0x5EED_F117E7UL);
        _schedule = new LearningRateSchedule(options.LearningRate, options.WarmupSteps, options.Steps, options.Schedule);
        TaskSampling.RequireSplit(environment, options.TrainSplit, "rl.train_split");
        TaskSampling.RequireSplit(environment, options.ValidationSplit, "rl.validation_split");
        var trainCount = environment.TaskCount(options.TrainSplit);
        _pool = Enumerable.Range(0, Math.Min(options.PromptPool, trainCount ?? options.PromptPool)).Select(i => environment.GetTask(options.TrainSplit, i)).ToList();
        var testCount = environment.TaskCount(options.ValidationSplit);
        _validation = Enumerable.Range(0, Math.Min(options.ValidationTasks, testCount ?? options.ValidationTasks)).Select(i => environment.GetTask(options.ValidationSplit, i)).ToList();
        _order = EpochOrder(0);
    }

    public Transformer Model { get; }

    public RlOptions Options { get; }

    public PhaseTimer Timer { get; } = new();

    public long Step { get; private set; }

    public PromptFilter? Filter => _filter;

    /// <summary>The settings validation runs with: <c>toolsharp eval</c> of this model with the same settings scores the same.</summary>
    public RolloutSettings ValidationSettings => _validator.Settings;

    /// <summary>The validation tasks, in order.</summary>
    public IReadOnlyList<EnvironmentTask> ValidationTasks => _validation;

    /// <summary>Seconds spent training (everything but validation), continued across resumes.</summary>
    public double TrainingSeconds => _wallOffset + _clock.Elapsed.TotalSeconds - Timer.Total.GetValueOrDefault(PhaseTimer.Validation);

    /// <summary>Every validation so far.</summary>
    public IReadOnlyList<ValidationPoint> ValidationHistory => _validationHistory;

    /// <summary>The samples of the latest step with their rewards (all rounds, before selection); for inspection and tests.</summary>
    public IReadOnlyList<Sample> LastSamples { get; private set; } = [];

    /// <summary>The rollouts behind <see cref="LastSamples"/>, in the same order (transcripts, endings, scores).</summary>
    public IReadOnlyList<Rollout> LastRollouts { get; private set; } = [];

    /// <summary>The samples the latest step trained on, shaped (token advantages set); for inspection and tests.</summary>
    public IReadOnlyList<Sample> LastTrained { get; private set; } = [];

    /// <summary>The rollouts of the latest validation, in task order.</summary>
    public IReadOnlyList<Rollout> LastValidation { get; private set; } = [];

    /// <summary>True when every prompt of the pool is being skipped (nothing left to learn from).</summary>
    public bool Exhausted { get; private set; }

    /// <summary>Runs one RL step: rollouts → reward → advantages → selection → shaping → loss and update.</summary>
    public StepMetrics TrainStep(CancellationToken cancellation = default)
    {
        _clock.Start();
        Timer.StartStep();
        var started = Stopwatch.GetTimestamp();

        var (groups, sampled, rollouts, rolled, skipped, zeroVariance) = RolloutAndReward(cancellation);
        var scored = groups.Select(g => GroupAdvantages.Assign(Options.Estimator, g)).ToList();
        var (selected, droppedAllFailed) = SampleSelection.Select(scored, new SelectionOptions(Options.UpdateRollouts, Options.Tao is { FilterAllFailed: true }));
        var shaped = TokenShaping.Shape(selected, Options.Arpo is { HardAttribution: true }, Options.Tao);
        var lr = _schedule.At(Step);
        var update = _updater.Update(shaped, lr, Timer);
        Step++;
        LastSamples = sampled;
        LastRollouts = rollouts;
        LastTrained = shaped;

        double? validation = null;
        if (Options.ValidateEvery > 0 && Step % Options.ValidateEvery == 0) validation = Validate(cancellation);
        _clock.Stop();
        var solved = sampled.Where(s => s.Correct).ToList();
        var postTool = sampled.SelectMany(s => s.Entropies.Where((_, i) => s.PostTool[i] && s.LossMask[i] > 0)).ToList();
        var generated = sampled.Sum(s => s.GeneratedTokens);
        var generationSeconds = Timer.Step.GetValueOrDefault(PhaseTimer.Generation);
        return new StepMetrics
        {
            Step = Step,
            Epoch = _epoch,
            WallClockSeconds = TrainingSeconds,
            StepSeconds = Stopwatch.GetElapsedTime(started).TotalSeconds,
            Phases = new Dictionary<string, double>(Timer.Step),
            PromptsRolledOut = rolled,
            PromptsSkipped = skipped,
            PromptsSkippedTotal = _filter?.SkippedPrompts ?? 0,
            Rollouts = sampled.Count,
            RolloutsTrained = shaped.Count,
            ZeroVarianceGroups = zeroVariance,
            FilteredAllFailed = droppedAllFailed,
            RewardMean = sampled.Count == 0 ? 0 : sampled.Average(s => s.Reward),
            TrainAccuracy = sampled.Count == 0 ? 0 : (double)solved.Count / sampled.Count,
            ToolCallsMean = sampled.Count == 0 ? 0 : sampled.Average(s => s.ToolCalls),
            ToolCallsPerSolved = solved.Count == 0 ? 0 : solved.Average(s => (double)s.ToolCalls),
            TokensGenerated = generated,
            GenerationTokensPerSecond = generationSeconds > 0 ? generated / generationSeconds : 0,
            Loss = update.Loss,
            ClipFraction = update.ClipFraction,
            ApproxKl = update.ApproxKl,
            Entropy = update.MeanEntropy,
            PostToolEntropy = postTool.Count == 0 ? 0 : postTool.Average(),
            GradNorm = update.GradNorm,
            LearningRate = lr,
            ValidationAccuracy = validation,
            Branches = sampled.Count(s => s.BranchOf is not null),
        };
    }

    /// <summary>Rolls out the step's prompts and rewards their groups. A group whose rewards are all equal is kept unless
    /// DAPO or TAO-RL drops it; DAPO then samples further prompts, up to <see cref="RlOptions.MaxRefillRounds"/> rounds.</summary>
    private (List<IReadOnlyList<Sample>> Kept, List<Sample> Sampled, List<Rollout> Rollouts, int Rolled, int Skipped, int ZeroVariance) RolloutAndReward(CancellationToken cancellation)
    {
        var kept = new List<IReadOnlyList<Sample>>();
        var sampled = new List<Sample>();
        var all = new List<Rollout>();
        int rolled = 0, skipped = 0, zeroVariance = 0;
        var dropUninformative = Options.DynamicSampling || Options.Tao is { FilterZeroVariance: true };
        for (var round = 0; kept.Count < Options.PromptsPerStep; round++)
        {
            var prompts = NextPrompts(Options.PromptsPerStep - kept.Count, ref skipped);
            if (prompts.Count == 0)
            {
                Exhausted = true;
                break;
            }
            var requests = prompts.Select((task, i) => new RolloutRequest(task, Options.RolloutsPerPrompt, SeededRandom.For(Options.Seed, Step, round, i).NextUInt64())).ToList();
            var rollouts = _worker.Run(requests, Timer, cancellation);
            rolled += prompts.Count;
            foreach (var rolloutGroup in rollouts)
            {
                var task = rolloutGroup[0].Task;
                var references = Options.ToolRl is null ? null : ((IReferenceCalls)_environment).ReferenceCalls(task)
                    ?? throw new ToolSharpException($"rl.toolrl: environment '{_environment.Name}' has no reference calls for task '{task.Id}'");
                var rewards = RewardFunction.Rewards(rolloutGroup, Options.Reward, references);
                var group = rolloutGroup.Select((r, i) => Sample.From(r, rewards[i])).ToList();
                sampled.AddRange(group);
                all.AddRange(rolloutGroup);
                _filter?.Record(task.Id, group.Count(s => s.Correct), group.Count);
                var informative = SampleSelection.IsInformative(group);
                if (!informative) zeroVariance++;
                if (informative || !dropUninformative) kept.Add(group);
            }
            if (!Options.DynamicSampling || round >= Options.MaxRefillRounds) break;
        }
        return (kept, sampled, all, rolled, skipped, zeroVariance);
    }

    /// <summary>Greedy accuracy on the validation tasks (timed as the validation phase).</summary>
    public double Validate(CancellationToken cancellation = default)
    {
        var running = _clock.IsRunning;
        _clock.Start();
        IReadOnlyList<Rollout> rollouts;
        using (Timer.Measure(PhaseTimer.Validation))
            rollouts = _validator.Run(_validation.Select((t, i) => new RolloutRequest(t, 1, (ulong)i)).ToList(), cancellation: cancellation).SelectMany(g => g).ToList();
        if (!running) _clock.Stop();
        LastValidation = rollouts;
        var solved = rollouts.Where(r => r.Score.Correct).ToList();
        var accuracy = rollouts.Count == 0 ? 0 : (double)solved.Count / rollouts.Count;
        _validationHistory.Add(new ValidationPoint(Step, TrainingSeconds, accuracy, solved.Count == 0 ? 0 : solved.Average(r => (double)r.ToolCalls)));
        return accuracy;
    }

    /// <summary>Trains to <see cref="RlOptions.Steps"/> (or the target), logging metrics and checkpointing.</summary>
    public void Run(IProgress<StepMetrics>? progress = null, CheckpointStore? store = null, MetricsLog? log = null,
        IReadOnlyDictionary<string, string>? extraFiles = null, CancellationToken cancellation = default)
    {
        while (Step < Options.Steps && !Exhausted)
        {
            cancellation.ThrowIfCancellationRequested();
            var metrics = TrainStep(cancellation);
            log?.Append(metrics);
            progress?.Report(metrics);
            if (store is not null && Options.CheckpointEvery > 0 && Step % Options.CheckpointEvery == 0) SaveCheckpoint(store, extraFiles);
            if (Options.StopAtTarget && metrics.ValidationAccuracy is { } acc && Options.TargetAccuracy is { } target && acc >= target) break;
        }
        if (store is not null) SaveCheckpoint(store, extraFiles);
    }

    /// <summary>The trainer's state as one record (what a checkpoint holds besides weights and optimizer moments).</summary>
    public TrainerState State => new("rl", Step, _epoch, _cursor, _rng.State.ToString(System.Globalization.CultureInfo.InvariantCulture),
        _wallOffset + _clock.Elapsed.TotalSeconds, Exhausted, new Dictionary<string, double>(Timer.Total), [.. _validationHistory],
        _filter?.SkippedPrompts ?? 0, _filter?.Snapshot());

    public string SaveCheckpoint(CheckpointStore store, IReadOnlyDictionary<string, string>? extraFiles = null) =>
        store.Save(Step, Model, _updater.Optimizer, JsonSerializer.SerializeToNode(State, StateJson)!.AsObject(), extraFiles);

    /// <summary>Restores everything a checkpoint holds; training then continues exactly.</summary>
    public void Resume(string checkpoint)
    {
        var saved = CheckpointStore.Restore(checkpoint, Model, _updater.Optimizer);
        var state = saved.Deserialize<TrainerState>(StateJson)
            ?? throw new ToolSharpException($"{checkpoint}: trainer_state.json holds no trainer state");
        if (state.Kind != "rl") throw new ToolSharpException($"{checkpoint}: trainer_state.json is a '{state.Kind}' checkpoint, expected an RL one");
        Step = state.Step;
        _epoch = state.Epoch;
        _cursor = state.Cursor;
        _order = EpochOrder(_epoch);
        _rng.State = ulong.Parse(state.Rng, System.Globalization.CultureInfo.InvariantCulture);
        _wallOffset = state.WallClockS;
        Exhausted = state.Exhausted;
        Timer.RestoreTotals(state.Phases);
        _validationHistory.Clear();
        _validationHistory.AddRange(state.Validation);
        if (_filter is not null && state.Filter is not null) _filter.Restore(state.Filter, state.SkippedTotal);
    }

    /// <summary>The next prompts in epoch order that the filter lets through.</summary>
    private List<EnvironmentTask> NextPrompts(int count, ref int skipped)
    {
        var result = new List<EnvironmentTask>();
        var visited = 0;
        while (result.Count < count && visited < 2 * _pool.Count)
        {
            if (_cursor >= _order.Length)
            {
                _epoch++;
                _cursor = 0;
                _order = EpochOrder(_epoch);
            }
            var task = _pool[_order[_cursor++]];
            visited++;
            if (_filter is not null && !_filter.ShouldTrain(task.Id, _rng))
            {
                skipped++;
                continue;
            }
            result.Add(task);
        }
        return result;
    }

    private int[] EpochOrder(int epoch)
    {
        var rng = SeededRandom.For(Options.Seed, "epoch", epoch);
        var order = Enumerable.Range(0, _pool.Count).ToArray();
        for (var i = order.Length - 1; i > 0; i--)
        {
            var j = rng.Next(i + 1);
            (order[i], order[j]) = (order[j], order[i]);
        }
        return order;
    }
}
