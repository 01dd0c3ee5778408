using System.Text.Json;
using Disagg.Sim.Common;
using Disagg.Sim.Worker.Http;

namespace Disagg.Sim.DisaggServer;

/// <summary>
/// Maps the disagg server's routes: completions, <c>/health</c>, <c>/version</c>, <c>/cluster_info</c>, and <c>/perf_metrics</c>
/// (run_benchmark_aiperf.sh saves it after the loop; an empty list, as trtllm-serve answers without <c>return_perf_metrics</c>).
/// </summary>
internal static class DisaggEndpoints
{
    public static void Map(WebApplication app, DisaggProxy proxy, DisaggState state, DisaggServerConfig config)
    {
        app.MapPost("/v1/completions", context => proxy.HandleAsync(context, "/v1/completions"));
        app.MapPost("/v1/chat/completions", context => proxy.HandleAsync(context, "/v1/chat/completions"));
        app.MapGet("/health", context =>
        {
            context.Response.StatusCode = state.IsReady ? 200 : 503;
            return Task.CompletedTask;
        });
        app.MapGet("/version", context => JsonResponse.WriteObjectAsync(context, json => json.WriteString("version", WorkerEndpoints.TrtllmVersion)));
        app.MapGet("/cluster_info", context => JsonResponse.WriteObjectAsync(context, json =>
        {
            json.WriteBoolean("is_ready", state.IsReady);
            WriteUrls(json, "context_servers", config.Context);
            WriteUrls(json, "generation_servers", config.Generation);
        }));
        app.MapGet("/perf_metrics", context =>
        {
            context.Response.ContentType = "application/json";
            return context.Response.WriteAsync("[]", context.RequestAborted);
        });
        app.MapFallback(context => DisaggProxy.WriteDetailAsync(context.Response, 404, "Not Found", context.RequestAborted));
    }

    private static void WriteUrls(Utf8JsonWriter json, string name, ServerGroup group)
    {
        json.WriteStartArray(name);
        foreach (var url in group.Urls)
        {
            json.WriteStringValue(url.ToString());
        }

        json.WriteEndArray();
    }
}
