using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Nodes;
using ToolSharp.Core.Errors;
using ToolSharp.Core.Messages;
using ToolSharp.Core.Randomness;
using ToolSharp.Core.Tools;
using ToolSharp.Environments.Episodes;
using ToolSharp.Models;
using ToolSharp.Models.Checkpoints;
using ToolSharp.Models.Generation;
using ToolSharp.Tensors.Optim;
using ToolSharp.Training.Advantages;
using ToolSharp.Training.Metrics;
using ToolSharp.Training.Rendering;
using ToolSharp.Training.Rewards;
using ToolSharp.Training.Rollouts;
using ToolSharp.Training.Sampling;

namespace ToolSharp.Training.Grpo;

/// <summary>GRPO-family RL over multi-turn tool-using rollouts, with the efficiency techniques switchable: pre-rollout
/// prompt filtering, max-variance rollout down-sampling, DAPO dynamic sampling; plus TAO-RL, OTC and ARPO.</summary>
/// <remarks>
/// One step: choose prompts (skipping those the filter says keep being solved), roll out n samples each, reward them,
/// compute group advantages on all n, keep m of them (max reward variance), update the policy once with the rollouts'
/// own log-probs as old log-probs. Every phase is timed. The whole state (model, optimizer, step, data cursor, filter,
/// generator) is checkpointed, and rollout seeds derive from (seed, step, round, prompt), so a resumed run continues
/// exactly as the uninterrupted one would have.
/// </remarks>
public sealed class GrpoTrainer
{
    private readonly IRolloutRenderer _renderer;
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
    {
        // Checked before anything heavy so a misconfigured run fails at once, naming the setting.
        if (options.ToolRl is not null && environment is not IReferenceCalls)
            throw new ToolSharpException($"rl.toolrl needs an environment with reference calls, such as bfcl; '{environment.Name}' has none");
        if (options.ToolRl is not null && options.Otc is not null)
            throw new ToolSharpException("rl.toolrl and rl.otc both replace the reward; set only one of them");
        Model = model;
        _renderer = renderer;
        _environment = environment;
        Options = options;
        var optimizer = new AdamW(model.Parameters, new AdamWOptions(options.LearningRate, Beta2: 0.99f, WeightDecay: options.WeightDecay));
        _updater = new PolicyUpdater(model, optimizer, options.Update with { Temperature = options.Rollout.SamplingOrDefault.IsGreedy ? 1f : options.Rollout.SamplingOrDefault.Temperature },
            options.Update.KlCoefficient > 0 ? reference : null);
        _worker = new RolloutWorker(model, renderer, environment, options.Rollout, options.Arpo);
        _validator = new RolloutWorker(model, renderer, environment, options.Rollout with { Sampling = SamplingOptions.Greedy });
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

    /// <summary>Seconds spent training (everything but validation), continued across resumes.</summary>
    public double TrainingSeconds => _wallOffset + _clock.Elapsed.TotalSeconds - Timer.Total.GetValueOrDefault(PhaseTimer.Validation);

    /// <summary>Every validation so far.</summary>
    public IReadOnlyList<ValidationPoint> ValidationHistory => _validationHistory;

    /// <summary>The rollouts of the latest step with the rewards they were trained on (all rounds, before down-sampling); for inspection and tests.</summary>
    public IReadOnlyList<Trajectory> LastRollouts { get; private set; } = [];

    /// <summary>True when every prompt of the pool is being skipped (nothing left to learn from).</summary>
    public bool Exhausted { get; private set; }

    /// <summary>Runs one RL step.</summary>
    public StepMetrics TrainStep(CancellationToken cancellation = default)
    {
        _clock.Start();
        Timer.StartStep();
        var started = Stopwatch.GetTimestamp();
        var n = Options.GroupSize;
        var kept = new List<IReadOnlyList<Trajectory>>();
        var rolled = 0;
        var skipped = 0;
        var zeroVariance = 0;
        var allRollouts = new List<Trajectory>();
        for (var round = 0; kept.Count < Options.PromptsPerStep; round++)
        {
            var prompts = NextPrompts(Options.PromptsPerStep - kept.Count, ref skipped);
            if (prompts.Count == 0)
            {
                Exhausted = true;
                break;
            }
            var requests = prompts.Select((task, i) => new RolloutRequest(task, n, SeededRandom.For(Options.Seed, Step, round, i).NextUInt64())).ToList();
            var groups = _worker.Run(requests, Options.Instructions, Timer, cancellation);
            rolled += prompts.Count;
            foreach (var group in groups)
            {
                allRollouts.AddRange(group);
                AssignRewards(group);
                _filter?.Record(group[0].PromptId, group.Count(t => t.Correct), group.Count);
                var informative = !GroupAdvantages.IsZeroVariance(group.Select(t => t.Reward).ToArray());
                if (!informative) zeroVariance++;
                if (informative || !(Options.DynamicSampling || Options.Tao is { FilterZeroVariance: true })) kept.Add(group);
            }
            if (!Options.DynamicSampling || round >= Options.MaxRefillRounds) break;
        }
        LastRollouts = allRollouts;

        // Advantages on all n rollouts of a group, then keep the m with maximal reward variance.
        var trained = new List<Trajectory>();
        var trajectoryAdvantages = new List<double>();
        var filteredAllFailed = 0;
        foreach (var group in kept)
        {
            var rewards = group.Select(t => t.Reward).ToArray();
            var adv = GroupAdvantages.Compute(Options.Estimator, rewards);
            var chosen = Options.UpdateRollouts < group.Count ? MaxVarianceDownsampling.Select(rewards, Options.UpdateRollouts) : Enumerable.Range(0, group.Count).ToArray();
            foreach (var i in chosen)
            {
                if (Options.Tao is { FilterAllFailed: true } && group[i].AllToolCallsFailed)
                {
                    filteredAllFailed++;
                    continue;
                }
                trained.Add(group[i]);
                trajectoryAdvantages.Add(adv[i]);
            }
        }

        var tokenAdvantages = trained.Select((t, i) => t.LossMask.Select(m => m > 0 ? (float)trajectoryAdvantages[i] : 0f).ToArray()).ToArray();
        if (Options.Arpo is { HardAttribution: true }) ArpoAttribution.Apply(trained, trajectoryAdvantages, tokenAdvantages);
        bool[][]? exempt = null;
        if (Options.Tao is { } tao)
        {
            tokenAdvantages = TaoRlShaping.Shape(tokenAdvantages, trained.Select(t => t.Entropies).ToList(), trained.Select(t => t.LossMask).ToList(),
                trained.Select(t => t.PostTool).ToList(), tao.EntropyCoefficient);
            if (tao.ExemptPostToolFromClip) exempt = trained.Select(t => t.PostTool).ToArray();
        }

        var lr = _schedule.At(Step);
        var update = _updater.Update(trained, tokenAdvantages, lr, Timer, exempt);
        Step++;

        double? validation = null;
        if (Options.ValidateEvery > 0 && Step % Options.ValidateEvery == 0) validation = Validate(cancellation);
        _clock.Stop();

        var generated = allRollouts.Sum(t => t.GeneratedTokens);
        var solved = allRollouts.Count(t => t.Correct);
        var postTool = allRollouts.SelectMany(t => t.Entropies.Where((_, i) => t.PostTool[i] && t.LossMask[i] > 0)).ToList();
        var genSeconds = Timer.Step.GetValueOrDefault(PhaseTimer.Generation);
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
            Rollouts = allRollouts.Count,
            RolloutsTrained = trained.Count,
            ZeroVarianceGroups = zeroVariance,
            FilteredAllFailed = filteredAllFailed,
            RewardMean = allRollouts.Count == 0 ? 0 : allRollouts.Average(t => t.Reward),
            TrainAccuracy = allRollouts.Count == 0 ? 0 : (double)solved / allRollouts.Count,
            ToolCallsMean = allRollouts.Count == 0 ? 0 : allRollouts.Average(t => t.ToolCalls),
            ToolCallsPerSolved = solved == 0 ? 0 : (double)allRollouts.Where(t => t.Correct).Sum(t => t.ToolCalls) / solved,
            TokensGenerated = generated,
            GenerationTokensPerSecond = genSeconds > 0 ? generated / genSeconds : 0,
            Loss = update.Loss,
            ClipFraction = update.ClipFraction,
            ApproxKl = update.ApproxKl,
            Entropy = update.MeanEntropy,
            PostToolEntropy = postTool.Count == 0 ? 0 : postTool.Average(),
            GradNorm = update.GradNorm,
            LearningRate = lr,
            ValidationAccuracy = validation,
            Branches = allRollouts.Count(t => t.BranchOf is not null),
        };
    }

    /// <summary>Greedy accuracy on the validation tasks (timed as the validation phase).</summary>
    public double Validate(CancellationToken cancellation = default)
    {
        var running = _clock.IsRunning;
        _clock.Start();
        double accuracy;
        var correct = 0;
        var callsWhenCorrect = 0;
        using (Timer.Measure(PhaseTimer.Validation))
        {
            var requests = _validation.Select((t, i) => new RolloutRequest(t, 1, (ulong)i)).ToList();
            foreach (var chunk in requests.Chunk(32))
            {
                foreach (var t in _validator.Run(chunk, Options.Instructions, new PhaseTimer(), cancellation).SelectMany(g => g).Where(t => t.Correct))
                {
                    correct++;
                    callsWhenCorrect += t.ToolCalls;
                }
            }
            accuracy = requests.Count == 0 ? 0 : (double)correct / requests.Count;
        }
        if (!running) _clock.Stop();
        _validationHistory.Add(new ValidationPoint(Step, TrainingSeconds, accuracy, correct == 0 ? 0 : (double)callsWhenCorrect / correct));
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

    public string SaveCheckpoint(CheckpointStore store, IReadOnlyDictionary<string, string>? extraFiles = null)
    {
        var state = new JsonObject
        {
            ["kind"] = "rl",
            ["epoch"] = _epoch,
            ["cursor"] = _cursor,
            ["rng"] = _rng.State.ToString(),
            ["wall_clock_s"] = _wallOffset + _clock.Elapsed.TotalSeconds,
            ["exhausted"] = Exhausted,
            ["phases"] = new JsonObject(Timer.Total.Select(kv => KeyValuePair.Create(kv.Key, (JsonNode?)kv.Value))),
            ["validation"] = new JsonArray(_validationHistory.Select(v => (JsonNode)new JsonObject { ["step"] = v.Step, ["training_s"] = v.TrainingS, ["accuracy"] = v.Accuracy, ["tool_calls_per_solved"] = v.ToolCallsPerSolved }).ToArray()),
            ["skipped_total"] = _filter?.SkippedPrompts ?? 0,
            ["filter"] = _filter is null ? null : new JsonObject(_filter.Snapshot().Select(kv => KeyValuePair.Create(kv.Key,
                (JsonNode?)new JsonArray(kv.Value.SolvedStreak, kv.Value.UnsolvedStreak, kv.Value.ConsecutiveSkips, kv.Value.TotalSkips)))),
        };
        return store.Save(Step, Model, _updater.Optimizer, state, extraFiles);
    }

    /// <summary>Restores everything a checkpoint holds; training then continues exactly.</summary>
    public void Resume(string checkpoint)
    {
        var state = CheckpointStore.Restore(checkpoint, Model, _updater.Optimizer);
        Step = state["step"]!.GetValue<long>();
        _epoch = state["epoch"]!.GetValue<int>();
        _cursor = state["cursor"]!.GetValue<int>();
        _order = EpochOrder(_epoch);
        _rng.State = ulong.Parse(state["rng"]!.GetValue<string>());
        _wallOffset = state["wall_clock_s"]!.GetValue<double>();
        Exhausted = state["exhausted"]?.GetValue<bool>() ?? false;
        Timer.RestoreTotals(state["phases"]!.AsObject().ToDictionary(kv => kv.Key, kv => kv.Value!.GetValue<double>()));
        _validationHistory.Clear();
        foreach (var v in state["validation"]!.AsArray())
            _validationHistory.Add(new ValidationPoint(v!["step"]!.GetValue<long>(), v["training_s"]!.GetValue<double>(), v["accuracy"]!.GetValue<double>(),
                v["tool_calls_per_solved"]?.GetValue<double>() ?? 0));
        if (_filter is not null && state["filter"] is JsonObject filter)
        {
            _filter.Restore(filter.ToDictionary(kv => kv.Key, kv =>
            {
                var a = kv.Value!.AsArray();
                return new PromptFilter.PromptRecord(a[0]!.GetValue<int>(), a[1]!.GetValue<int>(), a[2]!.GetValue<int>(), a[3]!.GetValue<int>());
            }), state["skipped_total"]!.GetValue<long>());
        }
    }

    private void AssignRewards(IReadOnlyList<Trajectory> group)
    {
        if (Options.ToolRl is { } toolRl)
        {
            var task = _pool.First(t => t.Id == group[0].PromptId);
            var reference = ((IReferenceCalls)_environment).ReferenceCalls(task)
                ?? throw new ToolSharpException($"rl.toolrl: environment '{_environment.Name}' has no reference calls for task '{task.Id}'");
            foreach (var t in group)
            {
                var calls = t.Transcript.Messages.Where(m => m.Role == ChatRole.Assistant).SelectMany(m => m.ToolCalls).ToList();
                // ToolRL gives unparseable output the minimum; calls read before a parse error still count as predictions.
                IReadOnlyList<ToolCall>? predicted = calls.Count == 0 && !t.WellFormed ? null : calls;
                t.Reward = toolRl.FormatReward ? ToolRlReward.Total(reference, predicted, t.WellFormed) : ToolRlReward.Correctness(reference, predicted);
            }
        }
        else if (Options.Otc is { } otc)
        {
            var shaped = otc.PpoVariant
                ? group.Select(t => t.Correct ? otc.Alpha * OtcReward.ToolScorePpo(t.ToolCalls, otc.C) : 0).ToArray()
                : OtcReward.GroupRewards(group.Select(t => t.ToolCalls).ToList(), group.Select(t => t.Correct).ToList(), otc.Alpha, otc.C);
            for (var i = 0; i < group.Count; i++) group[i].Reward = shaped[i];
        }
        else
        {
            foreach (var t in group) t.Reward = t.Score.Reward;
        }
        if (Options.FormatReward != 0)
            foreach (var t in group) t.Reward += t.WellFormed ? Options.FormatReward : 0;
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
