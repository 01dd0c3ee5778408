using System.Diagnostics;
using System.Threading.Channels;
using Disagg.Sim.Common;

namespace Disagg.Sim.Worker.Engine;

/// <summary>
/// The simulated in-flight-batching executor of one worker. Each iteration:
/// every active decoding sequence (at most <c>max_batch_size</c>, the rest queue) produces one token, and waiting
/// prompts are prefilled in FIFO order within the remaining batch slots and the <c>max_num_tokens</c> budget (long
/// prompts are chunked over several iterations). The iteration lasts
/// <c>ctx_tokens × prefill_ms + (decode_step_ms + per_seq_ms × decoding)</c>, paced by <see cref="IterationClock"/>.
/// </summary>
internal sealed class Scheduler(WorkerConfig config, LatencyModel latency, NoiseModel? noise = null)
{
    private readonly NoiseModel _noise = noise ?? NoiseModel.None;
    private readonly long _startedAt = Stopwatch.GetTimestamp();
    private readonly Channel<Sequence> _arrivals = Channel.CreateUnbounded<Sequence>(new UnboundedChannelOptions { SingleReader = true });
    private readonly List<Sequence> _prefillQueue = [];
    private readonly List<Sequence> _decoding = [];
    private readonly Queue<Sequence> _decodeWaiting = new();
    private readonly IterationClock _clock = new();
    private readonly List<(Sequence Sequence, int Tokens)> _ctxPlan = [];
    private long _iteration;

    /// <summary>Recent iterations for <c>GET /metrics</c>.</summary>
    public IterationHistory History { get; } = new();

    /// <summary>Queues a prompt for prefill (then decode unless it is context-only).</summary>
    public void SubmitPrefill(Sequence sequence) => _arrivals.Writer.TryWrite(sequence);

    /// <summary>
    /// Queues a generation-only sequence whose KV cache has arrived. It joins the decode batch: its first iteration
    /// returns the token the context server computed, each later iteration one new token.
    /// </summary>
    public void SubmitDecode(Sequence sequence)
    {
        sequence.PrefillRemaining = 0;
        _arrivals.Writer.TryWrite(sequence);
    }

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        var idle = true;
        try
        {
            while (!cancellationToken.IsCancellationRequested)
            {
                DrainArrivals();
                AdmitDecoding();
                PlanPrefill();
                if (_decoding.Count == 0 && _ctxPlan.Count == 0)
                {
                    idle = true;
                    await _arrivals.Reader.WaitToReadAsync(cancellationToken).ConfigureAwait(false);
                    continue;
                }

                await RunIterationAsync(idle, cancellationToken).ConfigureAwait(false);
                idle = false;
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Server stopping.
        }
        finally
        {
            AbortAll();
        }
    }

    private async Task RunIterationAsync(bool resumedFromIdle, CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        var ctxTokens = _ctxPlan.Sum(p => p.Tokens);
        var decodeCount = _decoding.Count;
        var costMs = latency.IterationMs(ctxTokens, decodeCount) * NoiseFactor();
        var deadline = _clock.NextDeadline(costMs, resumedFromIdle);
        await IterationClock.WaitUntilAsync(deadline, cancellationToken).ConfigureAwait(false);
        if (costMs <= 0)
        {
            await Task.Yield();
        }

        StepDecoding();
        StepPrefill();
        var stats = new IterationStats(
            ++_iteration,
            _decoding.Count + _prefillQueue.Count + _decodeWaiting.Count,
            _decodeWaiting.Count + _prefillQueue.Count,
            _ctxPlan.Count,
            ctxTokens,
            decodeCount,
            Stopwatch.GetElapsedTime(started).TotalMilliseconds,
            costMs,
            DateTime.Now);
        History.Add(stats);
        if (config.PrintIterLog)
        {
            ServerLog.Trt(stats.ToLogLine());
        }
    }

    /// <summary>The noise multiplier of this iteration, keyed by the newest sequence of the batch (one block runs at a time).</summary>
    private double NoiseFactor()
    {
        if (_noise.IsNone) return 1;
        var newest = _decoding.Concat(_ctxPlan.Select(p => p.Sequence)).MaxBy(s => s.Id);
        return _noise.Factor(newest?.SimConcurrency, newest?.SimBlock, Stopwatch.GetElapsedTime(_startedAt).TotalSeconds);
    }

    private void DrainArrivals()
    {
        while (_arrivals.Reader.TryRead(out var sequence))
        {
            if (sequence.PrefillRemaining > 0)
            {
                _prefillQueue.Add(sequence);
            }
            else
            {
                _decodeWaiting.Enqueue(sequence);
            }
        }
    }

    private void AdmitDecoding()
    {
        _decoding.RemoveAll(Dropped);
        while (_decoding.Count < config.MaxBatchSize && _decodeWaiting.TryDequeue(out var sequence))
        {
            if (!Dropped(sequence))
            {
                _decoding.Add(sequence);
            }
        }
    }

    private void PlanPrefill()
    {
        _ctxPlan.Clear();
        _prefillQueue.RemoveAll(Dropped);
        var slots = config.MaxBatchSize - _decoding.Count;
        var budget = config.MaxNumTokens - _decoding.Count;
        foreach (var sequence in _prefillQueue)
        {
            if (slots <= 0 || budget <= 0)
            {
                break;
            }

            var tokens = Math.Min(sequence.PrefillRemaining, budget);
            _ctxPlan.Add((sequence, tokens));
            budget -= tokens;
            slots--;
        }
    }

    private void StepDecoding()
    {
        foreach (var sequence in _decoding)
        {
            if (!sequence.IsCancelled)
            {
                sequence.EmitToken();
            }
        }

        _decoding.RemoveAll(s => s.Finished || Dropped(s));
    }

    private void StepPrefill()
    {
        foreach (var (sequence, tokens) in _ctxPlan)
        {
            sequence.PrefillRemaining -= tokens;
            if (sequence.PrefillRemaining > 0 || sequence.IsCancelled)
            {
                continue;
            }

            _prefillQueue.Remove(sequence);
            sequence.EmitToken();
            if (!sequence.Finished)
            {
                _decodeWaiting.Enqueue(sequence);
            }
        }
    }

    private static bool Dropped(Sequence sequence)
    {
        if (!sequence.IsCancelled)
        {
            return false;
        }

        sequence.Abort();
        return true;
    }

    private void AbortAll()
    {
        foreach (var sequence in _decoding.Concat(_prefillQueue).Concat(_decodeWaiting))
        {
            sequence.Abort();
        }

        while (_arrivals.Reader.TryRead(out var sequence))
        {
            sequence.Abort();
        }
    }
}
