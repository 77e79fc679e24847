namespace ToolSharp.Evaluation.Policies;

/// <summary>When and how long an endpoint request is retried: exponential backoff with seeded jitter, per-attempt timeout.</summary>
public sealed record RetryOptions
{
    /// <summary>Requests per turn, the first included.</summary>
    public int MaxAttempts { get; init; } = 6;

    /// <summary>Delay before the first retry; doubled each time, capped by <see cref="MaxDelay"/>.</summary>
    public TimeSpan BaseDelay { get; init; } = TimeSpan.FromMilliseconds(500);

    /// <summary>Longest wait between attempts, a server's Retry-After included.</summary>
    public TimeSpan MaxDelay { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>A request that has not answered after this long is abandoned and retried.</summary>
    public TimeSpan AttemptTimeout { get; init; } = TimeSpan.FromSeconds(300);

    /// <summary>Seed of the jitter generator, so a rerun waits the same way.</summary>
    public ulong JitterSeed { get; init; } = 1;

    /// <summary>The clock that times attempts and backoff waits; tests pass a fake one so nothing really waits.</summary>
    public TimeProvider Clock { get; init; } = TimeProvider.System;
}
