using ToolSharp.Core.Errors;

namespace ToolSharp.Models.Generation;

/// <summary>A <see cref="ContinuousBatcher"/> refused a request because every slot is busy and its queue is full (back-pressure: retry later).</summary>
public sealed class GenerationQueueFullException(int active, int queued)
    : ToolSharpException($"generation queue full: {active} sequences generating and {queued} waiting; retry later")
{
    public int Active { get; } = active;

    public int Queued { get; } = queued;
}
