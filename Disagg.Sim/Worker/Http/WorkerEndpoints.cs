using Disagg.Sim.Common;

namespace Disagg.Sim.Worker.Http;

/// <summary>Maps trtllm-serve's HTTP routes onto a worker.</summary>
internal static class WorkerEndpoints
{
    /// <summary>The TensorRT-LLM version the worker reports.</summary>
    public const string TrtllmVersion = "1.2.0rc2";

    public static void Map(WebApplication app, WorkerRuntime runtime)
    {
        var completions = new CompletionHandler(runtime);
        app.MapPost("/v1/completions", context => completions.HandleAsync(context, isChat: false));
        app.MapPost("/v1/chat/completions", context => completions.HandleAsync(context, isChat: true));
        app.MapGet("/health", context => HealthAsync(context, runtime));
        app.MapGet("/health_generate", context => HealthGenerateAsync(context, runtime));
        app.MapGet("/version", context => JsonResponse.WriteObjectAsync(context, json => json.WriteString("version", TrtllmVersion)));
        app.MapGet("/v1/models", context => ModelsAsync(context, runtime));
        app.MapGet("/metrics", context => MetricsAsync(context, runtime));
        app.MapFallback(context => NotFoundAsync(context));
    }

    private static async Task HealthAsync(HttpContext context, WorkerRuntime runtime)
    {
        if (runtime.State.IsReady)
        {
            context.Response.StatusCode = 200;
            return;
        }

        context.Response.StatusCode = 503;
        await context.Response.WriteAsync(CompletionHandler.Unavailable, context.RequestAborted).ConfigureAwait(false);
    }

    private static async Task HealthGenerateAsync(HttpContext context, WorkerRuntime runtime)
    {
        context.Response.StatusCode = runtime.State.IsReady ? 200 : 500;
        var body = runtime.State.IsReady ? "Generation health check OK" : "Generation health check failed";
        await context.Response.WriteAsync(body, context.RequestAborted).ConfigureAwait(false);
    }

    private static Task ModelsAsync(HttpContext context, WorkerRuntime runtime) => JsonResponse.WriteObjectAsync(context, json =>
    {
        json.WriteString("object", "list");
        json.WriteStartArray("data");
        json.WriteStartObject();
        json.WriteString("id", runtime.Options.Model);
        json.WriteString("object", "model");
        json.WriteNumber("created", runtime.StartedUnixSeconds);
        json.WriteString("owned_by", "tensorrt_llm");
        json.WriteEndObject();
        json.WriteEndArray();
    });

    private static Task MetricsAsync(HttpContext context, WorkerRuntime runtime) => JsonResponse.WriteAsync(context.Response, 200, json =>
    {
        json.WriteStartArray();
        foreach (var stats in runtime.Scheduler.History.Drain())
        {
            json.WriteStartObject();
            json.WriteString("timestamp", stats.Timestamp.ToString("MM-dd-yyyy HH:mm:ss", System.Globalization.CultureInfo.InvariantCulture));
            json.WriteNumber("iter", stats.Iteration);
            json.WriteNumber("iterLatencyMS", stats.HostStepMs);
            json.WriteNumber("numActiveRequests", stats.ActiveRequests);
            json.WriteNumber("numQueuedRequests", stats.QueuedRequests);
            json.WriteStartObject("inflightBatchingStats");
            json.WriteNumber("numContextRequests", stats.CtxRequests);
            json.WriteNumber("numCtxTokens", stats.CtxTokens);
            json.WriteNumber("numGenRequests", stats.GenerationTokens);
            json.WriteEndObject();
            json.WriteEndObject();
        }

        json.WriteEndArray();
    }, context.RequestAborted);

    private static async Task NotFoundAsync(HttpContext context)
    {
        context.Response.StatusCode = 404;
        context.Response.ContentType = "application/json";
        await context.Response.WriteAsync("{\"detail\":\"Not Found\"}", context.RequestAborted).ConfigureAwait(false);
    }
}
