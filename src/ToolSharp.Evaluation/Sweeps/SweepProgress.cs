namespace ToolSharp.Evaluation.Sweeps;

/// <summary>Where a sweep stands: episodes in total, already stored before this run, finished and failed in this run.</summary>
public sealed record SweepProgress(int Total, int AlreadyDone, int Finished, int Failed, string? LastError = null)
{
    public int Done => AlreadyDone + Finished;
}
