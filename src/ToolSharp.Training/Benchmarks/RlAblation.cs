using System.Text.Json;
using ToolSharp.Training.Metrics;
using ToolSharp.Training.Pipeline;

namespace ToolSharp.Training.Benchmarks;

/// <summary>The RL efficiency ablation behind <c>toolsharp bench rl</c>: same warmed-up model, environment and seeds for
/// every method; wall-clock to a target validation accuracy, final accuracy with a confidence interval, speedups.</summary>
/// <remarks>
/// The supervised warm-up runs once (or a given warmed-up model is used) and every (method, seed) run starts RL from
/// that checkpoint, so methods differ only in RL and seeds vary RL's prompt order and sampling. Time is RL training
/// time (validation excluded), measured in the same process on the same machine, one run at a time. Every run lives in
/// its own run directory; a re-run skips finished runs and resumes an interrupted one.
/// </remarks>
public sealed class RlAblation(TrainConfig baseConfig, IReadOnlyList<AblationMethod> methods, IReadOnlyList<ulong> seeds, string directory)
{
    /// <summary>Fixed target accuracy; null = 95% of vanilla GRPO's mean final accuracy (see <see cref="AblationReport.TargetRule"/>).</summary>
    public double? TargetAccuracy { get; init; }

    /// <summary>A warmed-up model directory to start every run from; null = run the base config's warm-up once.</summary>
    public string? StartFrom { get; init; }

    public Action<string>? OnStatus { get; init; }

    /// <summary>Called after every RL step with (method, seed, one-line summary of the step).</summary>
    public Action<string, ulong, Metrics.StepMetrics>? OnStep { get; init; }

    public AblationReport Run(CancellationToken cancellation = default)
    {
        Directory.CreateDirectory(directory);
        var runs = new List<AblationRun>();
        var warm = StartFrom;
        if (warm is null)
        {
            warm = Path.Combine(directory, "warmup");
            Execute(baseConfig with { Rl = baseConfig.Rl with { Steps = 0 } }, warm, "warm-up", baseConfig.Seed, cancellation);
        }
        foreach (var seed in seeds)
        {
            foreach (var method in methods)
            {
                var config = baseConfig with
                {
                    Seed = seed,
                    Model = Path.GetFullPath(warm),
                    Warmup = baseConfig.Warmup with { Demonstrations = 0 },
                    Rl = method.Apply(baseConfig.Rl),
                };
                var runDirectory = Path.Combine(directory, $"{method.Name}-seed{seed}");
                var summary = Execute(config, runDirectory, method.Name, seed, cancellation);
                var curve = MetricsLog.Read(Path.Combine(runDirectory, TrainingRun.MetricsFile)).Select(AblationStep.From).ToList();
                runs.Add(new AblationRun(method.Name, seed, summary.FinalValAccuracy, summary.Validation[^1].TrainingS, summary.Steps, summary.PromptsSkipped,
                    summary.Rollouts, summary.RolloutsTrained, summary.Phases, summary.Validation, summary.ToolCallsPerRollout, curve));
            }
        }
        return Summarise(runs);
    }

    private TrainSummary Execute(TrainConfig config, string runDirectory, string label, ulong seed, CancellationToken cancellation)
    {
        var summaryPath = Path.Combine(runDirectory, TrainingRun.SummaryFile);
        if (File.Exists(summaryPath))
        {
            OnStatus?.Invoke($"{label} seed {seed}: done earlier ({runDirectory})");
            return ReadSummary(summaryPath);
        }
        OnStatus?.Invoke($"{label} seed {seed}");
        var resume = File.Exists(Path.Combine(runDirectory, TrainingRun.ConfigFile));
        var template = resume ? TrainingRun.Open(runDirectory) : new TrainingRun(config, runDirectory);
        var run = new TrainingRun(template.Config, runDirectory) { OnRlStep = m => OnStep?.Invoke(label, seed, m) };
        return run.Run(cancellation);
    }

    /// <summary>Per-method statistics over seeds; pure, so it is tested on made-up runs.</summary>
    public AblationReport Summarise(IReadOnlyList<AblationRun> runs)
    {
        var grpo = runs.Where(r => r.Method == methods[0].Name).ToList();
        string rule;
        double target;
        if (TargetAccuracy is { } fixedTarget)
        {
            target = fixedTarget;
            rule = "fixed";
        }
        else
        {
            target = grpo.Count == 0 ? 0 : Math.Floor(0.95 * grpo.Average(r => r.FinalAccuracy) * 100) / 100;
            rule = $"95% of {methods[0].Name}'s mean final accuracy, rounded down to a percent";
        }

        var grpoTime = MeanTime(grpo, target);
        var summaries = methods.Select(m =>
        {
            var mine = runs.Where(r => r.Method == m.Name).ToList();
            var accuracies = mine.Select(r => r.FinalAccuracy).ToList();
            var time = MeanTime(mine, target);
            var phases = mine.SelectMany(r => r.Phases).GroupBy(kv => kv.Key).ToDictionary(g => g.Key, g => Math.Round(g.Sum(kv => kv.Value) / Math.Max(1, mine.Count), 2));
            return new AblationSummary(
                m.Name, m.Description, mine.Count, time, mine.Count(r => r.TimeToTarget(target) is not null),
                accuracies.Count == 0 ? 0 : accuracies.Average(), SeedInterval.Mean95(accuracies),
                time is > 0 && grpoTime is { } g ? g / time.Value : null,
                mine.Count == 0 ? 0 : mine.Average(r => r.TrainingSeconds),
                mine.Count == 0 ? 0 : mine.Average(r => (double)r.PromptsSkipped),
                mine.Sum(r => r.Rollouts) == 0 ? 0 : (double)mine.Sum(r => r.RolloutsTrained) / mine.Sum(r => r.Rollouts),
                phases,
                mine.Count == 0 ? 0 : mine.Average(r => r.ToolCallsPerRollout),
                mine.Count == 0 ? 0 : mine.Average(r => r.FinalToolCallsPerSolved),
                mine.Count == 0 ? 0 : mine.Average(r => r.FinalEntropy));
        }).ToList();
        return new AblationReport(baseConfig.Environment, baseConfig.Model, target, rule, runs, summaries);
    }

    /// <summary>Mean time to target over the seeds that reached it; null when none did.</summary>
    private static double? MeanTime(IReadOnlyList<AblationRun> runs, double target)
    {
        var times = runs.Select(r => r.TimeToTarget(target)).Where(t => t is not null).Select(t => t!.Value).ToList();
        return times.Count == 0 ? null : times.Average();
    }

    private static TrainSummary ReadSummary(string path) =>
        JsonSerializer.Deserialize<TrainSummary>(File.ReadAllText(path), new JsonSerializerOptions { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower })
        ?? throw new Core.Errors.ToolSharpException($"{path}: empty summary");
}
