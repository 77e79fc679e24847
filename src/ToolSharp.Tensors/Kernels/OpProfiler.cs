using System.Collections.Concurrent;
using System.Diagnostics;

namespace ToolSharp.Tensors.Kernels;

/// <summary>Optional wall-clock accounting per op (forward and backward), for finding where a step spends its time.</summary>
/// <remarks>Off unless <see cref="Enabled"/> is set (or TOOLSHARP_PROFILE=1); when off, <see cref="Measure"/> costs a branch.</remarks>
public static class OpProfiler
{
    private static readonly ConcurrentDictionary<string, (long Ticks, long Calls)> Totals = new();

    public static bool Enabled { get; set; } = Environment.GetEnvironmentVariable("TOOLSHARP_PROFILE") == "1";

    /// <summary>Times the enclosing block under <paramref name="name"/> when profiling is on.</summary>
    public static Scope Measure(string name) => Enabled ? new Scope(name, Stopwatch.GetTimestamp()) : default;

    /// <summary>Accumulated milliseconds and calls per op, largest first.</summary>
    public static IReadOnlyList<(string Name, double Milliseconds, long Calls)> Snapshot() =>
        Totals.Select(kv => (kv.Key, kv.Value.Ticks * 1000.0 / Stopwatch.Frequency, kv.Value.Calls)).OrderByDescending(x => x.Item2).ToList();

    public static void Reset() => Totals.Clear();

    /// <summary>A running measurement; dispose to record it.</summary>
    public readonly struct Scope(string? name, long start) : IDisposable
    {
        public void Dispose()
        {
            if (name is null) return;
            var elapsed = Stopwatch.GetTimestamp() - start;
            Totals.AddOrUpdate(name, (elapsed, 1), (_, t) => (t.Ticks + elapsed, t.Calls + 1));
        }
    }
}
