using System.Globalization;

namespace Disagg.Sim.Worker.Engine;

/// <summary>What one scheduler iteration did; printed like TensorRT-LLM's <c>print_iter_log</c> lines.</summary>
internal sealed record IterationStats(
    long Iteration,
    int ActiveRequests,
    int QueuedRequests,
    int CtxRequests,
    int CtxTokens,
    int GenerationTokens,
    double HostStepMs,
    double ModelledStepMs,
    DateTime Timestamp)
{
    public string ToLogLine()
    {
        var inv = CultureInfo.InvariantCulture;
        return string.Create(inv,
            $"iter = {Iteration}, global_rank = 0, rank = 0, currank_total_requests = {QueuedRequests}/{ActiveRequests}, "
            + $"host_step_time = {HostStepMs.ToString("F3", inv)}ms, prev_device_step_time = {ModelledStepMs.ToString("F3", inv)}ms, "
            + $"timestamp = {Timestamp.ToString("yyyy-MM-dd HH:mm:ss", inv)}, num_scheduled_requests: {CtxRequests + GenerationTokens}, "
            + $"states = {{'num_ctx_requests': {CtxRequests}, 'num_ctx_tokens': {CtxTokens}, 'num_generation_tokens': {GenerationTokens}}}");
    }
}
