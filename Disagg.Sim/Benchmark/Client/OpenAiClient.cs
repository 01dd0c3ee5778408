using System.Diagnostics;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Disagg.Sim.Benchmark.Datasets;

namespace Disagg.Sim.Benchmark.Client;

/// <summary>
/// Sends one request and measures it like the Python client: TTFT at the first chunk with choices, one ITL per later
/// chunk, latency up to the last chunk; non-streaming: TTFT = latency, no ITL.
/// </summary>
internal sealed class OpenAiClient(HttpClient http, BenchmarkOptions options)
{
    private readonly bool _chat = options.Backend == "openai-chat";
    private readonly Uri _url = new(options.ApiUrl);

    /// <summary>Names this client run (one benchmark block) to the simulated workers' noise model; real servers never see it.</summary>
    private readonly JsonObject _simBlock = new() { ["concurrency"] = options.MaxConcurrency, ["id"] = Guid.NewGuid().ToString("N") };

    public async Task<RequestOutcome> SendAsync(SampleRequest sample, CancellationToken cancellationToken)
    {
        var streaming = !options.NonStreaming;
        var outcome = new RequestOutcome { PromptLen = sample.PromptLen };
        var body = OpenAiRequestBody.Build(_chat, options.RequestModel, sample.Prompt, sample.ExpectedOutputLen, streaming, options.IgnoreEos,
            options.Temperature ?? 0.0, _simBlock);
        var start = Stopwatch.GetTimestamp();
        try
        {
            using var message = new HttpRequestMessage(HttpMethod.Post, _url) { Content = new StringContent(body, Encoding.UTF8, "application/json") };
            message.Headers.TryAddWithoutValidation("Authorization", "Bearer None");
            using var response = await http.SendAsync(message, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
            if (!response.IsSuccessStatusCode)
            {
                var status = (int)response.StatusCode;
                Console.Out.WriteLine($"HTTP Error {status}: <ClientResponse({_url}) [{status} {response.ReasonPhrase}]>");
                outcome.Error = response.ReasonPhrase ?? string.Empty;
                return outcome;
            }

            if (streaming)
            {
                await ReadStreamAsync(response, outcome, start, cancellationToken).ConfigureAwait(false);
            }
            else
            {
                await ReadWholeAsync(response, outcome, start, cancellationToken).ConfigureAwait(false);
            }
        }
        catch (Exception ex) when (ex is HttpRequestException or IOException or JsonException or InvalidOperationException or KeyNotFoundException
            || (ex is OperationCanceledException && !cancellationToken.IsCancellationRequested))
        {
            outcome.Success = false;
            outcome.Error = ex.Message;
            outcome.ExceptionType = PythonExceptionName.Of(ex);
        }

        return outcome;
    }

    private async Task ReadStreamAsync(HttpResponseMessage response, RequestOutcome outcome, long start, CancellationToken cancellationToken)
    {
        await using var stream = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        using var reader = new StreamReader(stream, Encoding.UTF8);
        var text = new StringBuilder();
        var first = true;
        var mostRecent = start;
        while (await reader.ReadLineAsync(cancellationToken).ConfigureAwait(false) is { } line)
        {
            var chunk = line.Trim();
            if (chunk.Length == 0)
            {
                continue;
            }

            chunk = chunk.StartsWith("data: ", StringComparison.Ordinal) ? chunk[6..] : chunk;
            if (chunk == "[DONE]")
            {
                continue;
            }

            var now = Stopwatch.GetTimestamp();
            var (hasChoice, choiceText, completionTokens) = ParseChunk(chunk, _chat);
            if (hasChoice)
            {
                if (first)
                {
                    outcome.Ttft = Seconds(start, now);
                    first = false;
                }
                else
                {
                    outcome.Itl.Add(Seconds(mostRecent, now));
                }

                mostRecent = now;
                text.Append(choiceText);
            }
            else if (completionTokens is { } tokens)
            {
                outcome.OutputTokens = tokens;
            }
        }

        outcome.GeneratedText = text.ToString();
        outcome.Latency = Seconds(start, mostRecent);
        outcome.Success = !first;
        if (first)
        {
            outcome.Error = "Never received a valid chunk to calculate TTFT.This response will be marked as failed!";
        }
    }

    private async Task ReadWholeAsync(HttpResponseMessage response, RequestOutcome outcome, long start, CancellationToken cancellationToken)
    {
        var content = await response.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false);
        using var data = JsonDocument.Parse(content);
        var choice = data.RootElement.GetProperty("choices")[0];
        outcome.GeneratedText = _chat
            ? choice.GetProperty("message").GetProperty("content").GetString() ?? string.Empty
            : choice.GetProperty("text").GetString() ?? string.Empty;
        outcome.OutputTokens = data.RootElement.GetProperty("usage").GetProperty("completion_tokens").GetInt32();
        outcome.Latency = Seconds(start, Stopwatch.GetTimestamp());
        outcome.Ttft = outcome.Latency;
        outcome.Success = true;
    }

    /// <summary>Runs the chunk parser once so its first use inside a timed request does not pay for JIT compilation.</summary>
    public static void WarmUpParser()
    {
        ParseChunk("{\"choices\":[{\"index\":0,\"text\":\" a\",\"delta\":{\"content\":\" a\"}}],\"usage\":null}", chat: false);
        ParseChunk("{\"choices\":[],\"usage\":{\"completion_tokens\":1}}", chat: true);
    }

    /// <summary>One SSE data payload: whether it carries a choice, its text, and usage.completion_tokens if present.</summary>
    private static (bool HasChoice, string Text, int? CompletionTokens) ParseChunk(string chunk, bool chat)
    {
        using var data = JsonDocument.Parse(chunk);
        var root = data.RootElement;
        if (root.TryGetProperty("choices", out var choices) && choices.ValueKind == JsonValueKind.Array && choices.GetArrayLength() > 0)
        {
            return (true, ChoiceText(choices[0], chat), null);
        }

        return root.TryGetProperty("usage", out var usage) && usage.ValueKind == JsonValueKind.Object
            ? (false, string.Empty, usage.GetProperty("completion_tokens").GetInt32())
            : (false, string.Empty, null);
    }

    private static string ChoiceText(JsonElement choice, bool chat)
    {
        if (chat)
        {
            return choice.TryGetProperty("delta", out var delta) && delta.TryGetProperty("content", out var content)
                    && content.ValueKind == JsonValueKind.String
                ? content.GetString()!
                : string.Empty;
        }

        return choice.TryGetProperty("text", out var text) && text.ValueKind == JsonValueKind.String ? text.GetString()! : string.Empty;
    }

    private static double Seconds(long from, long to) => (to - from) / (double)Stopwatch.Frequency;
}
