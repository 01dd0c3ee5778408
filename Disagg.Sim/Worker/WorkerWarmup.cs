using System.Text;
using Disagg.Sim.Common;
using Disagg.Sim.Worker.Engine;
using Disagg.Sim.Worker.Http;

namespace Disagg.Sim.Worker;

/// <summary>
/// Runs every request shape once through the real handler, in process and at zero simulated cost, while the worker is
/// "loading". The first timed requests then do not pay for JIT compilation (a real GPU worker has no such warm-up
/// cost either). Uses its own scheduler and state, so no counters, faults or iteration logs are touched.
/// </summary>
internal static class WorkerWarmup
{
    private static readonly string[] Bodies =
    [
        """{"model":"w","prompt":"a b c","max_tokens":3,"stream":true,"stream_options":{"include_usage":true}}""",
        """{"model":"w","prompt":[1,2,3],"max_tokens":2}""",
        """{"model":"w","prompt":"a b","max_tokens":2,"disaggregated_params":{"request_type":"context_only"}}""",
        """{"model":"w","prompt":"a b","max_tokens":3,"stream":true,"disaggregated_params":"""
            + """{"request_type":"generation_only","first_gen_tokens":[7],"ctx_request_id":1}}""",
    ];

    private static readonly string[] ChatBodies =
    [
        """{"model":"w","messages":[{"role":"user","content":[{"type":"text","text":"a b"}]}],"max_completion_tokens":2,"stream":true}""",
        """{"model":"w","messages":[{"role":"user","content":"a b"}],"max_tokens":2}""",
    ];

    public static async Task RunAsync(WorkerRuntime runtime, CancellationToken cancellationToken)
    {
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var state = new WorkerState(FaultPlan.None);
        state.MarkReady();
        var scheduler = new Scheduler(runtime.Config with { PrintIterLog = false }, new LatencyModel(0, 0, 0, 0, 0));
        var handler = new CompletionHandler(runtime with { State = state, Scheduler = scheduler, Stopping = stop.Token });
        var loop = scheduler.RunAsync(stop.Token);
        foreach (var body in Bodies)
        {
            await handler.HandleAsync(FakeContext(body, cancellationToken), isChat: false).ConfigureAwait(false);
        }

        foreach (var body in ChatBodies)
        {
            await handler.HandleAsync(FakeContext(body, cancellationToken), isChat: true).ConfigureAwait(false);
        }

        await stop.CancelAsync().ConfigureAwait(false);
        await loop.ConfigureAwait(false);
    }

    private static DefaultHttpContext FakeContext(string body, CancellationToken cancellationToken)
    {
        var context = new DefaultHttpContext { RequestAborted = cancellationToken };
        context.Request.Method = "POST";
        context.Request.Body = new MemoryStream(Encoding.UTF8.GetBytes(body));
        context.Response.Body = Stream.Null;
        return context;
    }
}
