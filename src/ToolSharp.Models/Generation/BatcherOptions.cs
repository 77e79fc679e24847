namespace ToolSharp.Models.Generation;

/// <summary>How a <see cref="ContinuousBatcher"/> schedules: sequences per decode step, requests allowed to wait, prefill chunking.</summary>
/// <param name="MaxBatch">Sequences generating at once; more wait in the queue and join as others finish.</param>
/// <param name="MaxQueue">Requests allowed to wait for a slot; past it <see cref="ContinuousBatcher.GenerateAsync"/> refuses with <see cref="GenerationQueueFullException"/>.</param>
/// <param name="PrefillChunk">Pending tokens a sequence feeds per step at most (0 = a newly joined prompt is fed whole in its first step).
/// Chunking bounds how long one long prompt stalls everyone else's next token, at the price of more steps.</param>
/// <param name="Autostart">Run the scheduling loop on its own thread; false leaves stepping to the caller (<see cref="ContinuousBatcher.Step"/>), for tests that fix the arrival order.</param>
public sealed record BatcherOptions(int MaxBatch = 16, int MaxQueue = 64, int PrefillChunk = 0, bool Autostart = true)
{
    /// <summary>Throws when a value cannot work.</summary>
    public BatcherOptions Validated()
    {
        if (MaxBatch < 1) throw new ArgumentOutOfRangeException(nameof(MaxBatch), MaxBatch, "at least one sequence per step");
        if (MaxQueue < 0) throw new ArgumentOutOfRangeException(nameof(MaxQueue), MaxQueue, "zero or more waiting requests");
        if (PrefillChunk < 0) throw new ArgumentOutOfRangeException(nameof(PrefillChunk), PrefillChunk, "0 (whole prompt) or a positive chunk");
        return this;
    }
}
