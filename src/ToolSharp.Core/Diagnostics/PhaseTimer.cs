using System.Diagnostics;

namespace ToolSharp.Core.Diagnostics;

/// <summary>Wall-clock seconds per phase of a run (RL: generation, tools, log-probs, update, validation), per step and in total.</summary>
public sealed class PhaseTimer
{
    public const string Generation = "generation";
    public const string Tools = "tools";
    public const string LogProbs = "logprobs";
    public const string Update = "update";
    public const string Validation = "validation";

    private readonly Dictionary<string, double> _step = [];
    private readonly Dictionary<string, double> _total = [];

    /// <summary>Times the enclosing block under <paramref name="phase"/>.</summary>
    public Measurement Measure(string phase) => new(this, phase, Stopwatch.GetTimestamp());

    public void Add(string phase, double seconds)
    {
        _step[phase] = _step.GetValueOrDefault(phase) + seconds;
        _total[phase] = _total.GetValueOrDefault(phase) + seconds;
    }

    /// <summary>Seconds per phase since the last <see cref="StartStep"/>.</summary>
    public IReadOnlyDictionary<string, double> Step => _step;

    /// <summary>Seconds per phase over the run.</summary>
    public IReadOnlyDictionary<string, double> Total => _total;

    public void StartStep() => _step.Clear();

    /// <summary>Restores totals from a checkpoint.</summary>
    public void RestoreTotals(IReadOnlyDictionary<string, double> totals)
    {
        _total.Clear();
        foreach (var (k, v) in totals) _total[k] = v;
    }

    /// <summary>A running measurement; dispose to record it.</summary>
    public readonly struct Measurement(PhaseTimer timer, string phase, long start) : IDisposable
    {
        public void Dispose() => timer.Add(phase, Stopwatch.GetElapsedTime(start).TotalSeconds);
    }
}
