namespace ToolSharp.Evaluation.Policies;

/// <summary>When and how long an endpoint request is retried: exponential backoff with seeded jitter, per-attempt timeout.</summary>
public sealed record RetryOptions
{
    /// <summary>Requests per turn, the first included.</summary>
    public int MaxAttempts { get; init; } = 6;

    /// <summary>Delay before the first retry; doubled each time, capped by <see cref="MaxDelay"/>.</summary>
    public TimeSpan BaseDelay { get; init; } = TimeSpan.FromMilliseconds(500);

    public TimeSpan MaxDelay { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>A request that has not answered after this long is abandoned and retried.</summary>
    public TimeSpan AttemptTimeout { get; init; } = TimeSpan.FromSeconds(300);

    /// <summary>Seed of the jitter generator, so a rerun waits the same way.</summary>
    public ulong JitterSeed { get; init; } = 1;

    /// <summary>How waiting happens; tests pass a function that records the delay and returns at once.</summary>
    public Func<TimeSpan, CancellationToken, Task> Delay { get; init; } = Task.Delay;
}
