using ToolSharp.Core.Errors;
using ToolSharp.Environments.Episodes;
using ToolSharp.Models;
using ToolSharp.Models.Training;
using ToolSharp.Training.Metrics;
using ToolSharp.Inference.Rendering;

namespace ToolSharp.Training.Pipeline;

/// <summary>The supervised warm-up of a training config, ready to step: the demonstrations, the copy drills, the
/// trainer and the copy probe. <see cref="TrainingRun"/> drives it with checkpoints; <c>toolsharp bench warmup</c>
/// drives it over several seeds.</summary>
public sealed class SupervisedWarmup
{
    public SupervisedWarmup(TrainConfig config, Transformer model, IEnvironment environment, IRolloutRenderer renderer)
    {
        var options = config.Warmup;
        if (environment is not IDemonstrationSource source)
            throw new ToolSharpException($"environment '{environment.Name}' has no demonstrations for the warm-up; set warmup.demonstrations=0");
        var instructions = config.Rl.Instructions;
        var split = config.Rl.TrainSplit;
        TaskSampling.RequireSplit(environment, split, "rl.train_split");
        var available = environment.TaskCount(split) ?? options.Demonstrations;
        var examples = Enumerable.Range(0, Math.Min(options.Demonstrations, available))
            .Select(i => renderer.Demonstration(source.Demonstration(environment.GetTask(split, i), instructions)))
            .Where(e => e.Length <= options.BatchTokens)
            .ToList();
        Demonstrations = examples.Count;
        var drills = options.CopyDrills is { } d ? new CopyDrills(d, renderer, options.BatchTokens, config.Seed) : null;
        Trainer = new SftTrainer(model, examples, new SftOptions(options.Steps, options.BatchTokens, options.LearningRate, options.WarmupSteps,
            options.Schedule, options.WeightDecay, Seed: config.Seed, CheckpointEvery: options.CheckpointEvery))
        {
            Supplement = drills is null ? null : drills.ForStep,
        };

        if (options.ProbeEvery > 0 && options.ProbeTasks > 0)
        {
            var probeSplit = config.Rl.ValidationSplit;
            TaskSampling.RequireSplit(environment, probeSplit, "rl.validation_split");
            var held = Enumerable.Range(0, Math.Min(options.ProbeTasks, environment.TaskCount(probeSplit) ?? options.ProbeTasks))
                .Select(i => renderer.Demonstration(source.Demonstration(environment.GetTask(probeSplit, i), instructions)))
                .ToList();
            var probe = new CopyProbe(held, CopyProbe.DigitTokens(renderer.VocabularySize, ids => renderer.Decode(ids)));
            Probe = probe.Count > 0 ? probe : null;
        }
        ProbeEvery = options.ProbeEvery;
    }

    public SftTrainer Trainer { get; }

    /// <summary>Demonstrations the warm-up trains on (those that fit a batch).</summary>
    public int Demonstrations { get; }

    /// <summary>The copy probe, or null when it is switched off or the held-out demonstrations hold no digits to copy.</summary>
    public CopyProbe? Probe { get; }

    public int ProbeEvery { get; }

    /// <summary>True when the probe is due after the step just completed.</summary>
    public bool ProbeDue => Probe is not null && ProbeEvery > 0 && Trainer.Step % ProbeEvery == 0;
}
