namespace ToolSharp.Models.Generation;

/// <summary>One generation call of one sequence on a <see cref="ContinuousBatcher"/>: its limits and its own decoding.</summary>
/// <param name="Limits">Stop tokens, stop token sequences and token budgets, as for <see cref="GenerationSession.Generate"/>.</param>
/// <param name="Sampling">This request's temperature and truncation (requests in one batch may differ).</param>
public sealed record GenerationRequest(GenerationLimits Limits, SamplingOptions Sampling)
{
    /// <summary>Alternatives reported with each token (its most likely tokens with their log-probs); 0 for none.</summary>
    public int TopLogProbs { get; init; }

    /// <summary>Checked after each token on this call's output so far; true stops the sequence (<see cref="StopReason.Condition"/>).
    /// Runs on the scheduler's thread between steps, so it must be quick (e.g. look for a stop string in the decoded tail).</summary>
    public Func<IReadOnlyList<int>, bool>? StopWhen { get; init; }

    /// <summary>Called on the scheduler's thread with each token as it is sampled (streaming); must not block.</summary>
    public Action<GeneratedToken>? OnToken { get; init; }
}
