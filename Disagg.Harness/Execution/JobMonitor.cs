using System.Collections.Concurrent;
using Disagg.Harness.Cluster;

namespace Disagg.Harness.Execution;

/// <summary>
/// One monitor per run: a single batched squeue per interval for every job in flight, however many tests
/// run in parallel. Tests read the latest snapshot of their job and await the next tick.
/// </summary>
public sealed class JobMonitor : IAsyncDisposable
{
    private readonly SlurmClient _slurm;
    private readonly TimeProvider _time;
    private readonly TimeSpan _interval;
    private readonly ConcurrentDictionary<string, JobSnapshot?> _jobs = new(StringComparer.Ordinal);
    private readonly CancellationTokenSource _stop = new();
    private readonly object _gate = new();
    private TaskCompletionSource _tick = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private Task? _loop;

    public JobMonitor(SlurmClient slurm, TimeProvider time, TimeSpan interval)
    {
        _slurm = slurm;
        _time = time;
        _interval = interval;
    }

    /// <summary>The last query's error, if the last query failed even after its retries.</summary>
    public Exception? LastError { get; private set; }
    public int ConsecutiveFailures { get; private set; }

    public void Track(string jobId)
    {
        _jobs.TryAdd(jobId, null);
        lock (_gate) _loop ??= Task.Run(() => LoopAsync(_stop.Token));
    }

    public void Untrack(string jobId) => _jobs.TryRemove(jobId, out _);

    /// <summary>Jobs of this run still being followed.</summary>
    public IReadOnlyCollection<string> Tracked => _jobs.Keys.ToList();

    private IReadOnlyList<string> _positions = [];

    /// <summary>1-based position among all pending jobs of the cluster, and their count; null when not pending.</summary>
    public (int Position, int Of)? QueuePosition(string jobId)
    {
        var order = _positions;
        var index = order.ToList().IndexOf(jobId);
        return index < 0 ? null : (index + 1, order.Count);
    }

    /// <summary>Null until the first query that saw the job; stays at the last seen value if SLURM forgets it.</summary>
    public JobSnapshot? Latest(string jobId) => _jobs.GetValueOrDefault(jobId);

    public Task NextTickAsync(CancellationToken cancellationToken)
    {
        Task tick;
        lock (_gate) tick = _tick.Task;
        return tick.WaitAsync(cancellationToken);
    }

    private async Task LoopAsync(CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            var ids = _jobs.Keys.ToList();
            if (ids.Count > 0)
            {
                try
                {
                    var snapshots = await _slurm.QueryAsync(ids, cancellationToken).ConfigureAwait(false);
                    foreach (var (id, snapshot) in snapshots)
                        if (_jobs.ContainsKey(id)) _jobs[id] = snapshot;
                    // One more query, only while one of ours waits: where it stands in the queue.
                    _positions = snapshots.Values.Any(x => x.IsPending)
                        ? await _slurm.PendingOrderAsync(cancellationToken).ConfigureAwait(false)
                        : [];
                    LastError = null;
                    ConsecutiveFailures = 0;
                }
                catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
                {
                    break;
                }
                catch (Exception e) when (e is CommandFailedException or IOException)
                {
                    LastError = e;
                    ConsecutiveFailures++;
                }
            }
            TaskCompletionSource done;
            lock (_gate)
            {
                done = _tick;
                _tick = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            }
            done.TrySetResult();
            try
            {
                await Task.Delay(_interval, _time, cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                break;
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        if (_loop is not null)
        {
            try { await _loop.ConfigureAwait(false); } catch (OperationCanceledException) { }
        }
        _stop.Dispose();
    }
}
