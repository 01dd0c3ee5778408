namespace Disagg.Harness.Pipeline;

/// <summary>
/// Lets ordinary tests run side by side and an <c>ISOLATION</c> test run alone: a reader-writer gate over the run.
/// A waiting isolated test blocks newcomers, so it is not starved by a stream of ordinary tests.
/// </summary>
public sealed class IsolationGate
{
    private readonly SemaphoreSlim _turnstile = new(1, 1);
    private readonly SemaphoreSlim _roomEmpty = new(1, 1);
    private readonly SemaphoreSlim _count = new(1, 1);
    private int _inside;

    public async Task<IAsyncDisposable> EnterAsync(bool alone, CancellationToken cancellationToken)
    {
        if (alone)
        {
            await _turnstile.WaitAsync(cancellationToken).ConfigureAwait(false);
            try { await _roomEmpty.WaitAsync(cancellationToken).ConfigureAwait(false); }
            catch { _turnstile.Release(); throw; }
            return new Exit(() => { _roomEmpty.Release(); _turnstile.Release(); return Task.CompletedTask; });
        }
        await _turnstile.WaitAsync(cancellationToken).ConfigureAwait(false);
        _turnstile.Release();
        await _count.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (_inside == 0) await _roomEmpty.WaitAsync(cancellationToken).ConfigureAwait(false);
            _inside++;
        }
        finally { _count.Release(); }
        return new Exit(LeaveSharedAsync);
    }

    private async Task LeaveSharedAsync()
    {
        await _count.WaitAsync(CancellationToken.None).ConfigureAwait(false);
        try
        {
            if (--_inside == 0) _roomEmpty.Release();
        }
        finally { _count.Release(); }
    }

    private sealed class Exit(Func<Task> leave) : IAsyncDisposable
    {
        private int _done;

        public async ValueTask DisposeAsync()
        {
            if (Interlocked.Exchange(ref _done, 1) == 0) await leave().ConfigureAwait(false);
        }
    }
}
