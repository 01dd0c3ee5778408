namespace Disagg.Harness.Common;

/// <summary>
/// How an operation against a service that fails now and then (the SLURM controller, OpenSearch, the Perf DB) is
/// repeated: up to <see cref="MaxAttempts"/> attempts while <see cref="IsRetryable"/> accepts the failure, sleeping
/// <see cref="Backoff"/>(attempt) on <see cref="Time"/> in between, so tests pass a clock that never sleeps. Cancellation
/// is never retried. The last failure, or one that is not retryable, reaches the caller unchanged, so the caller
/// words the message. An operation whose repetition could act twice (sbatch) must not use it.
/// </summary>
public sealed class RetryPolicy
{
    public RetryPolicy(int maxAttempts, Func<int, TimeSpan> backoff, Func<Exception, bool> isRetryable, TimeProvider time)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxAttempts, 1);
        MaxAttempts = maxAttempts;
        Backoff = backoff;
        IsRetryable = isRetryable;
        Time = time;
    }

    public int MaxAttempts { get; }

    /// <summary>The sleep after the failed attempt number n (1-based).</summary>
    public Func<int, TimeSpan> Backoff { get; }

    public Func<Exception, bool> IsRetryable { get; }

    public TimeProvider Time { get; }

    /// <summary>Runs <paramref name="operation"/> (given the attempt number, 1-based) until it returns or may not be repeated.</summary>
    public async Task<T> RunAsync<T>(Func<int, CancellationToken, Task<T>> operation, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await operation(attempt, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e) when (attempt < MaxAttempts && !cancellationToken.IsCancellationRequested && IsRetryable(e))
            {
                await Task.Delay(Backoff(attempt), Time, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    public Task RunAsync(Func<int, CancellationToken, Task> operation, CancellationToken cancellationToken) =>
        RunAsync<bool>(async (attempt, token) =>
        {
            await operation(attempt, token).ConfigureAwait(false);
            return true;
        }, cancellationToken);
}
