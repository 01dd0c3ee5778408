using System.Collections.Concurrent;

namespace Disagg.Harness.Tests.Publishing;

/// <summary>A clock whose timers fire at once (on the thread pool) and remember what was asked: retries never sleep in tests.</summary>
internal sealed class ImmediateTime : TimeProvider
{
    public ConcurrentQueue<TimeSpan> Delays { get; } = new();

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        Delays.Enqueue(dueTime);
        var timer = new Fired();
        if (dueTime != Timeout.InfiniteTimeSpan) ThreadPool.QueueUserWorkItem(_ => { if (!timer.Disposed) callback(state); });
        return timer;
    }

    private sealed class Fired : ITimer
    {
        public volatile bool Disposed;
        public bool Change(TimeSpan dueTime, TimeSpan period) => true;
        public void Dispose() => Disposed = true;
        public ValueTask DisposeAsync()
        {
            Disposed = true;
            return ValueTask.CompletedTask;
        }
    }
}
