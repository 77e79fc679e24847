using System.Threading.Channels;
using Microsoft.Extensions.Time.Testing;

namespace ToolSharp.Testing;

/// <summary>A fake clock that announces every timer the code under test starts, so a test moves time on exactly when
/// that code waits (and only for the waits it chooses), instead of sleeping or asserting on elapsed real time.</summary>
public sealed class ManualClock : FakeTimeProvider
{
    private readonly Channel<TimeSpan> _started = Channel.CreateUnbounded<TimeSpan>();
    private Task<TimeSpan>? _next; // kept across runs: a read left pending by one run gets the next run's first timer

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        var timer = new AnnouncedTimer(base.CreateTimer(callback, state, dueTime, period), this);
        Announce(dueTime);
        return timer;
    }

    private void Announce(TimeSpan dueTime)
    {
        if (dueTime != Timeout.InfiniteTimeSpan) _started.Writer.TryWrite(dueTime);
    }

    /// <summary>Waits for <paramref name="work"/>; each timer it starts is passed at once (the clock advanced by its due
    /// time) when <paramref name="pass"/> says so, and otherwise left for something else to fire or cancel. One run at a time.</summary>
    public async Task<T> RunAsync<T>(Task<T> work, Func<TimeSpan, bool> pass)
    {
        while (true)
        {
            _next ??= _started.Reader.ReadAsync().AsTask();
            if (await Task.WhenAny(work, _next).ConfigureAwait(false) == work) return await work.ConfigureAwait(false);
            var due = await _next.ConfigureAwait(false);
            _next = null;
            if (pass(due)) Advance(due);
        }
    }

    /// <summary>Waits for <paramref name="work"/>, passing every timer it starts.</summary>
    public Task<T> RunAsync<T>(Task<T> work) => RunAsync(work, _ => true);

    /// <summary>A timer started later (created stopped, then <see cref="ITimer.Change"/>d) is announced too.</summary>
    private sealed class AnnouncedTimer(ITimer inner, ManualClock clock) : ITimer
    {
        public bool Change(TimeSpan dueTime, TimeSpan period)
        {
            var changed = inner.Change(dueTime, period);
            clock.Announce(dueTime);
            return changed;
        }

        public void Dispose() => inner.Dispose();

        public ValueTask DisposeAsync() => inner.DisposeAsync();
    }
}
