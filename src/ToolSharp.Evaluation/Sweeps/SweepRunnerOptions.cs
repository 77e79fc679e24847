namespace ToolSharp.Evaluation.Sweeps;

/// <summary>How a sweep runs: episodes in flight, when to give up on a failing backend, and progress reporting.</summary>
public sealed record SweepRunnerOptions
{
    /// <summary>Episodes run at once; null for the largest model concurrency in the sweep.</summary>
    public int? Concurrency { get; init; }

    /// <summary>After this many failed episodes (backend errors) the run stops; finished ones stay stored for a resume.</summary>
    public int MaxFailures { get; init; } = 25;

    /// <summary>Called after each episode (from worker threads; keep it cheap).</summary>
    public Action<SweepProgress>? Progress { get; init; }
}
