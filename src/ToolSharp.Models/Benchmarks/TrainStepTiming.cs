namespace ToolSharp.Models.Benchmarks;

/// <summary>A training step's median wall-clock time and how many cores it kept busy (CPU seconds per wall second,
/// so a benchmark can show that a "1-thread" run really ran on one core).</summary>
public sealed record TrainStepTiming(double Milliseconds, double CoresBusy);
