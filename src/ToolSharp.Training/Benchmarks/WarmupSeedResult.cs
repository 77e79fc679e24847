using ToolSharp.Training.Metrics;

namespace ToolSharp.Training.Benchmarks;

/// <summary>One seed of <see cref="WarmupBenchmark"/>: the copy transition step (null when the warm-up ended first),
/// the training seconds to it, steps run, seconds per step and the probe curve (<see cref="WarmupMetrics.Seconds"/>
/// counts training seconds only, probes excluded).</summary>
public sealed record WarmupSeedResult(ulong Seed, long? TransitionStep, long StepsRun, double? SecondsToTransition, double SecondsPerStep, IReadOnlyList<WarmupMetrics> Curve)
{
    public double FinalCopyAccuracy => Curve.Count == 0 ? 0 : Curve[^1].CopyAccuracy ?? 0;
}
