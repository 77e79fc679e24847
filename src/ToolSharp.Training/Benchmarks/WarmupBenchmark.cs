using ToolSharp.Environments.Catalog;
using System.Diagnostics;
using ToolSharp.Core.Errors;
using ToolSharp.Environments.Episodes;
using ToolSharp.Tensors.Kernels;
using ToolSharp.Training.Metrics;
using ToolSharp.Training.Pipeline;

namespace ToolSharp.Training.Benchmarks;

/// <summary>When does the warm-up learn to copy? Runs the warm-up of a config for several seeds, measures the copy
/// probe every <see cref="WarmupOptions.ProbeEvery"/> steps, and stops each seed <see cref="Margin"/> steps after its
/// copy transition (the first probe at or above 90%) or at the end of the warm-up.</summary>
public sealed class WarmupBenchmark
{
    public WarmupBenchmark(TrainConfig config, IReadOnlyList<ulong> seeds)
    {
        if (config.Warmup.ProbeEvery <= 0) throw new ToolSharpException("warmup.probe_every: the warm-up benchmark needs the copy probe; set it to a positive number of steps");
        Config = config;
        Seeds = seeds;
    }

    public TrainConfig Config { get; }

    public IReadOnlyList<ulong> Seeds { get; }

    /// <summary>Steps to keep training after the transition, to see that it holds.</summary>
    public int Margin { get; init; } = 50;

    /// <summary>Called after every probe with the seed and the probe's line.</summary>
    public Action<ulong, WarmupMetrics>? OnProbe { get; init; }

    public IReadOnlyList<WarmupSeedResult> Run(CancellationToken cancellation = default)
    {
        EngineThreads.Set(Config.Threads > 0 ? Config.Threads : Environment.ProcessorCount);
        var environment = EnvironmentCatalog.Create(Config.Environment);
        return Seeds.Select(seed => RunSeed(Config with { Seed = seed }, environment, cancellation)).ToList();
    }

    private WarmupSeedResult RunSeed(TrainConfig config, IEnvironment environment, CancellationToken cancellation)
    {
        var (model, renderer, _, _) = TrainingRun.CreateModel(config);
        var warmup = new SupervisedWarmup(config, model, environment, renderer);
        var probe = warmup.Probe ?? throw new ToolSharpException($"environment '{environment.Name}': the held-out demonstrations have no digits in their assistant turns, so there is nothing for the copy probe to measure");
        var curve = new List<WarmupMetrics>();
        var losses = new List<double>();
        var tokensPerSecond = new List<double>();
        long? transition = null;
        double? secondsToTransition = null;
        var trainingSeconds = 0.0;
        var sft = warmup.Trainer;
        while (sft.Step < config.Warmup.Steps && (transition is null || sft.Step < transition + Margin))
        {
            cancellation.ThrowIfCancellationRequested();
            var watch = Stopwatch.StartNew();
            var p = sft.TrainStep();
            trainingSeconds += watch.Elapsed.TotalSeconds;
            losses.Add(p.Loss);
            tokensPerSecond.Add(p.TokensPerSecond);
            if (!warmup.ProbeDue && sft.Step != config.Warmup.Steps) continue;
            var accuracy = probe.Measure(model);
            var line = new WarmupMetrics(sft.Step, Math.Round(losses.Average(), 5), p.LearningRate, Math.Round(tokensPerSecond.Average()), Math.Round(accuracy, 4), Math.Round(trainingSeconds, 2));
            losses.Clear();
            tokensPerSecond.Clear();
            curve.Add(line);
            OnProbe?.Invoke(config.Seed, line);
            if (transition is null && accuracy >= CopyProbe.TransitionThreshold)
            {
                transition = sft.Step;
                secondsToTransition = trainingSeconds;
            }
        }
        return new WarmupSeedResult(config.Seed, transition, sft.Step, secondsToTransition, trainingSeconds / Math.Max(1, sft.Step), curve);
    }
}
