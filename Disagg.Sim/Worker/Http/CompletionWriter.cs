using System.Buffers;
using System.Text;
using System.Text.Json;
using Disagg.Sim.Common;

namespace Disagg.Sim.Worker.Http;

/// <summary>
/// Writes OpenAI completion / chat-completion responses in trtllm-serve's schema, either as one JSON body or as
/// server-sent events (<c>data: {...}\n\n</c> ... <c>data: [DONE]\n\n</c>).
/// </summary>
internal sealed class CompletionWriter(CompletionRequest request, string responseId, long created)
{
    private static readonly byte[] DataPrefix = "data: "u8.ToArray();
    private static readonly byte[] EventEnd = "\n\n"u8.ToArray();
    private static readonly byte[] Done = "data: [DONE]\n\n"u8.ToArray();

    public static string NewId(bool isChat, long sequenceId) =>
        (isChat ? "chatcmpl-" : "cmpl-") + sequenceId.ToString("x16", System.Globalization.CultureInfo.InvariantCulture);

    public void StartStream(HttpResponse response)
    {
        response.StatusCode = 200;
        response.ContentType = "text/event-stream; charset=utf-8";
        response.Headers.CacheControl = "no-cache";
    }

    /// <summary>One SSE event carrying <paramref name="text"/>; the last one also carries the finish reason.</summary>
    public async Task WriteChunkAsync(HttpResponse response, string text, bool first, bool finished, DisaggParamsOut? disagg,
        CancellationToken cancellationToken)
    {
        var body = response.BodyWriter;
        body.Write(DataPrefix);
        using (var json = new Utf8JsonWriter(body))
        {
            WriteEnvelope(json, request.IsChat ? "chat.completion.chunk" : "text_completion");
            json.WriteStartArray("choices");
            json.WriteStartObject();
            json.WriteNumber("index", 0);
            if (request.IsChat)
            {
                json.WriteStartObject("delta");
                if (first)
                {
                    json.WriteString("role", "assistant");
                }

                json.WriteString("content", text);
                json.WriteEndObject();
            }
            else
            {
                json.WriteString("text", text);
                json.WriteNull("token_ids");
            }

            WriteChoiceTail(json, finished, disagg);
            json.WriteEndObject();
            json.WriteEndArray();
            json.WriteNull("usage");
            json.WriteEndObject();
        }

        body.Write(EventEnd);
        await body.FlushAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The final usage-only event sent when <c>stream_options.include_usage</c> is set.</summary>
    public async Task WriteUsageChunkAsync(HttpResponse response, int completionTokens, CancellationToken cancellationToken)
    {
        var body = response.BodyWriter;
        body.Write(DataPrefix);
        using (var json = new Utf8JsonWriter(body))
        {
            WriteEnvelope(json, request.IsChat ? "chat.completion.chunk" : "text_completion");
            json.WriteStartArray("choices");
            json.WriteEndArray();
            WriteUsage(json, completionTokens);
            json.WriteEndObject();
        }

        body.Write(EventEnd);
        await body.FlushAsync(cancellationToken).ConfigureAwait(false);
    }

    public async Task WriteDoneAsync(HttpResponse response, CancellationToken cancellationToken)
    {
        response.BodyWriter.Write(Done);
        await response.BodyWriter.FlushAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>A complete non-streaming response.</summary>
    public Task WriteFullAsync(HttpResponse response, string text, int completionTokens, DisaggParamsOut? disagg, CancellationToken cancellationToken) =>
        JsonResponse.WriteAsync(response, 200, json =>
        {
            WriteEnvelope(json, request.IsChat ? "chat.completion" : "text_completion");
            json.WriteStartArray("choices");
            json.WriteStartObject();
            json.WriteNumber("index", 0);
            if (request.IsChat)
            {
                json.WriteStartObject("message");
                json.WriteString("role", "assistant");
                json.WriteString("content", text);
                json.WriteNull("reasoning_content");
                json.WriteStartArray("tool_calls");
                json.WriteEndArray();
                json.WriteEndObject();
            }
            else
            {
                json.WriteString("text", text);
                json.WriteNull("token_ids");
            }

            WriteChoiceTail(json, finished: true, disagg);
            json.WriteEndObject();
            json.WriteEndArray();
            WriteUsage(json, completionTokens);
            json.WriteEndObject();
        }, cancellationToken);

    private void WriteEnvelope(Utf8JsonWriter json, string objectType)
    {
        json.WriteStartObject();
        json.WriteString("id", responseId);
        json.WriteString("object", objectType);
        json.WriteNumber("created", created);
        json.WriteString("model", request.Model);
    }

    private static void WriteChoiceTail(Utf8JsonWriter json, bool finished, DisaggParamsOut? disagg)
    {
        json.WriteNull("logprobs");
        if (finished)
        {
            json.WriteString("finish_reason", "length");
        }
        else
        {
            json.WriteNull("finish_reason");
        }

        json.WriteNull("stop_reason");
        if (disagg is null)
        {
            json.WriteNull("disaggregated_params");
            return;
        }

        json.WriteStartObject("disaggregated_params");
        json.WriteString("request_type", DisaggParams.GenerationOnly);
        json.WriteStartArray("first_gen_tokens");
        json.WriteNumberValue(disagg.FirstGenToken);
        json.WriteEndArray();
        json.WriteNumber("ctx_request_id", disagg.CtxRequestId);
        json.WriteString("encoded_opaque_state", disagg.EncodedOpaqueState);
        json.WriteNull("draft_tokens");
        if (disagg.DisaggRequestId is { } id)
        {
            json.WriteNumber("disagg_request_id", id);
        }
        else
        {
            json.WriteNull("disagg_request_id");
        }

        json.WriteEndObject();
    }

    private void WriteUsage(Utf8JsonWriter json, int completionTokens)
    {
        json.WriteStartObject("usage");
        json.WriteNumber("prompt_tokens", request.PromptTokens);
        json.WriteNumber("total_tokens", request.PromptTokens + completionTokens);
        json.WriteNumber("completion_tokens", completionTokens);
        json.WriteEndObject();
    }

    /// <summary>An opaque blob standing in for the KV-cache transfer handle.</summary>
    public static string OpaqueState(string host, int port, long ctxRequestId) =>
        Convert.ToBase64String(Encoding.ASCII.GetBytes($"{host}:{port}/kv/{ctxRequestId}"));
}
