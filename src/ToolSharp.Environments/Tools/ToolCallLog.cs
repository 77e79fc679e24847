using System.Collections;
using ToolSharp.Core.Tools;

namespace ToolSharp.Environments.Tools;

/// <summary>Every tool call of an episode with its outcome, in order; the trajectory-level facts RL filters and reports need.</summary>
/// <remarks>Safe to read while another thread appends (a snapshot is taken under a lock).</remarks>
public sealed class ToolCallLog : IReadOnlyList<ToolCallRecord>
{
    private readonly List<ToolCallRecord> _records = [];
    private readonly Lock _gate = new();

    public void Add(ToolCallRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        lock (_gate) _records.Add(record);
    }

    public int Count
    {
        get { lock (_gate) return _records.Count; }
    }

    public ToolCallRecord this[int index]
    {
        get { lock (_gate) return _records[index]; }
    }

    public int SucceededCount => Snapshot().Count(r => r.Succeeded);

    public int FailedCount => Snapshot().Count(r => !r.Succeeded);

    /// <summary>True when at least one call was made and every one failed (the RL "all tool calls failed" filter).</summary>
    public bool AllFailed
    {
        get
        {
            var records = Snapshot();
            return records.Count > 0 && records.All(r => !r.Succeeded);
        }
    }

    public bool AnyFailed => Snapshot().Any(r => !r.Succeeded);

    /// <summary>How many calls failed with each error kind.</summary>
    public IReadOnlyDictionary<ToolCallErrorKind, int> ErrorCounts() =>
        Snapshot().Where(r => r.ErrorKind is not null).GroupBy(r => r.ErrorKind!.Value).ToDictionary(g => g.Key, g => g.Count());

    /// <summary>A copy of the records so far.</summary>
    public IReadOnlyList<ToolCallRecord> Snapshot()
    {
        lock (_gate) return _records.ToArray();
    }

    public IEnumerator<ToolCallRecord> GetEnumerator() => Snapshot().GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}
