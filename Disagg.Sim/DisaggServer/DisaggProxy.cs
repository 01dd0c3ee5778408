using System.Buffers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Disagg.Sim.Common;

namespace Disagg.Sim.DisaggServer;

/// <summary>
/// Serves <c>/v1/completions</c> and <c>/v1/chat/completions</c>: sends the request to a context server as
/// <c>context_only</c> (non-streaming), then to a generation server as <c>generation_only</c> with the returned
/// disaggregated_params, and streams the generation server's response back unchanged.
/// </summary>
internal sealed class DisaggProxy(
    HttpClient http, DisaggState state, WorkerRouter context, WorkerRouter generation, TimeSpan requestTimeout, CancellationToken stopping)
{
    public async Task HandleAsync(HttpContext httpContext, string path)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(httpContext.RequestAborted, stopping);
        timeout.CancelAfter(requestTimeout);
        var cancellationToken = timeout.Token;
        if (!state.IsReady)
        {
            await WriteDetailAsync(httpContext.Response, 503, "Context and generation servers are not ready", cancellationToken).ConfigureAwait(false);
            return;
        }

        JsonObject request;
        try
        {
            request = await JsonNode.ParseAsync(httpContext.Request.Body, cancellationToken: cancellationToken).ConfigureAwait(false) as JsonObject
                ?? throw new JsonException("request body must be a JSON object");
        }
        catch (JsonException ex)
        {
            await WriteDetailAsync(httpContext.Response, 400, ex.Message, cancellationToken).ConfigureAwait(false);
            return;
        }

        if (state.ShouldFailNextRequest())
        {
            await WriteDetailAsync(httpContext.Response, 500, "Internal server error: request failed in disaggregated server", cancellationToken)
                .ConfigureAwait(false);
            return;
        }

        try
        {
            var requestId = state.NextRequestId();
            var genParams = context.IsEmpty
                ? GenOnlyParams(requestId)
                : await RunContextPhaseAsync(request, path, requestId, cancellationToken).ConfigureAwait(false);
            var genRequest = request.DeepClone().AsObject();
            genRequest["disaggregated_params"] = genParams;
            if (await ForwardGenerationAsync(httpContext, genRequest, path, cancellationToken).ConfigureAwait(false))
            {
                state.OnRequestCompleted();
            }
        }
        catch (WorkerCallException ex) when (!httpContext.Response.HasStarted)
        {
            ServerLog.Uvicorn($"Error in disaggregated request: {ex.Message}", "ERROR");
            if (ex.IsClientError)
            {
                httpContext.Response.StatusCode = ex.Status!.Value;
                httpContext.Response.ContentType = "application/json";
                await httpContext.Response.WriteAsync(ex.Detail, cancellationToken).ConfigureAwait(false);
                return;
            }

            await WriteDetailAsync(httpContext.Response, 500, $"Internal server error {ex.Message}", cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task<JsonObject> RunContextPhaseAsync(JsonObject request, string path, long requestId, CancellationToken cancellationToken)
    {
        var ctxRequest = request.DeepClone().AsObject();
        ctxRequest["disaggregated_params"] = new JsonObject { ["request_type"] = "context_only", ["disagg_request_id"] = requestId };
        ctxRequest["stream"] = false;
        ctxRequest.Remove("stream_options");
        using var lease = context.Acquire();
        using var response = await SendAsync(lease.Endpoint, path, ctxRequest, HttpCompletionOption.ResponseContentRead, cancellationToken)
            .ConfigureAwait(false);
        var body = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var parameters = JsonNode.Parse(body)?["choices"]?[0]?["disaggregated_params"]?.DeepClone().AsObject()
                ?? throw new WorkerCallException(lease.Endpoint, 500, "context response has no choices[0].disaggregated_params");
            parameters["request_type"] = "generation_only";
            return parameters;
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException)
        {
            throw new WorkerCallException(lease.Endpoint, 500, $"invalid context response: {ex.Message}", ex);
        }
    }

    private async Task<bool> ForwardGenerationAsync(HttpContext httpContext, JsonObject genRequest, string path, CancellationToken cancellationToken)
    {
        using var lease = generation.Acquire();
        using var response = await SendAsync(lease.Endpoint, path, genRequest, HttpCompletionOption.ResponseHeadersRead, cancellationToken)
            .ConfigureAwait(false);
        httpContext.Response.StatusCode = 200;
        httpContext.Response.ContentType = response.Content.Headers.ContentType?.ToString() ?? "application/json";
        var buffer = ArrayPool<byte>.Shared.Rent(16 * 1024);
        try
        {
            await using var upstream = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
            int read;
            while ((read = await upstream.ReadAsync(buffer, cancellationToken).ConfigureAwait(false)) > 0)
            {
                await httpContext.Response.Body.WriteAsync(buffer.AsMemory(0, read), cancellationToken).ConfigureAwait(false);
                await httpContext.Response.Body.FlushAsync(cancellationToken).ConfigureAwait(false);
            }

            return true;
        }
        catch (Exception ex) when (ex is IOException or HttpRequestException or OperationCanceledException)
        {
            ServerLog.Uvicorn($"Error in disaggregated request: generation server {lease.Endpoint} stream failed: {ex.Message}", "ERROR");
            httpContext.Abort();
            return false;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private async Task<HttpResponseMessage> SendAsync(
        WorkerEndpoint endpoint, string path, JsonObject body, HttpCompletionOption completion, CancellationToken cancellationToken)
    {
        using var message = new HttpRequestMessage(HttpMethod.Post, new Uri(endpoint.BaseUri, path))
        {
            Content = new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json"),
        };
        HttpResponseMessage response;
        try
        {
            response = await http.SendAsync(message, completion, cancellationToken).ConfigureAwait(false);
        }
        catch (HttpRequestException ex)
        {
            throw new WorkerCallException(endpoint, null, ex.Message, ex);
        }

        if (response.IsSuccessStatusCode)
        {
            return response;
        }

        using (response)
        {
            var detail = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
            throw new WorkerCallException(endpoint, (int)response.StatusCode, detail);
        }
    }

    private static JsonObject GenOnlyParams(long requestId) => new()
    {
        ["request_type"] = "generation_only",
        ["first_gen_tokens"] = new JsonArray(0),
        ["ctx_request_id"] = requestId,
        ["disagg_request_id"] = requestId,
    };

    public static async Task WriteDetailAsync(HttpResponse response, int status, string detail, CancellationToken cancellationToken)
    {
        response.StatusCode = status;
        response.ContentType = "application/json";
        var json = new StringBuilder("{\"detail\": ");
        PyJson.WriteString(json, detail);
        json.Append('}');
        await response.WriteAsync(json.ToString(), cancellationToken).ConfigureAwait(false);
    }
}
