namespace ToolSharp.Models.Generation;

/// <summary>Counters of a <see cref="ContinuousBatcher"/> since it started.</summary>
/// <param name="Steps">Batched forward passes run.</param>
/// <param name="SequenceSteps">Sum over steps of the sequences in the step (Steps × mean batch).</param>
/// <param name="TokensFed">Tokens fed through the model (prefill and decode).</param>
/// <param name="TokensSampled">Tokens sampled.</param>
/// <param name="Completed">Generation calls finished (any stop reason), cancelled ones excluded.</param>
/// <param name="Cancelled">Generation calls cancelled by their caller.</param>
/// <param name="Refused">Generation calls refused because the queue was full.</param>
public sealed record BatcherStats(long Steps, long SequenceSteps, long TokensFed, long TokensSampled, long Completed, long Cancelled, long Refused)
{
    /// <summary>Mean sequences per step.</summary>
    public double MeanBatch => Steps == 0 ? 0 : (double)SequenceSteps / Steps;
}
