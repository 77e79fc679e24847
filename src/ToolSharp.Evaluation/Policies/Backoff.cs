using ToolSharp.Core.Randomness;

namespace ToolSharp.Evaluation.Policies;

/// <summary>Retry delays: base · 2^(attempt−1), capped, with "equal jitter" (half fixed, half uniform) from a seeded generator.</summary>
/// <remarks>Jitter keeps many concurrent episodes that failed together from retrying in lock-step against a recovering
/// server; the fixed half guarantees the delay still grows. A server's Retry-After wins when it is longer (up to the cap).
/// Polly's own jitter is not seeded, so <see cref="OpenAiPolicy"/> hands this to Polly's retry as its delay generator.</remarks>
public sealed class Backoff(RetryOptions options)
{
    private readonly SeededRandom _random = new(options.JitterSeed);
    private readonly Lock _gate = new();

    /// <summary>The delay before attempt <paramref name="attempt"/> + 1, after <paramref name="attempt"/> failures (1-based).</summary>
    public TimeSpan Next(int attempt, TimeSpan? retryAfter = null)
    {
        var exp = options.BaseDelay.TotalMilliseconds * Math.Pow(2, Math.Min(attempt - 1, 30));
        var capped = Math.Min(exp, options.MaxDelay.TotalMilliseconds);
        double u;
        lock (_gate) u = _random.NextDouble();
        var ms = capped / 2 + u * capped / 2;
        if (retryAfter is { } ra) ms = Math.Max(ms, Math.Min(ra.TotalMilliseconds, options.MaxDelay.TotalMilliseconds));
        return TimeSpan.FromMilliseconds(ms);
    }
}
