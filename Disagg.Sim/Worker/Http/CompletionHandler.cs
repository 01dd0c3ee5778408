using System.Text;
using System.Text.Json;
using Disagg.Sim.Worker.Engine;

namespace Disagg.Sim.Worker.Http;

/// <summary>
/// Handles <c>POST /v1/completions</c> and <c>/v1/chat/completions</c> on a worker: plain requests (prefill + decode),
/// <c>context_only</c> (prefill, one token, disaggregated_params back) and <c>generation_only</c> (KV transfer, decode).
/// </summary>
internal sealed class CompletionHandler(WorkerRuntime runtime)
{
    public const string Unavailable = "LLM is unavailable. Please check the server logs for more details.";

    public async Task HandleAsync(HttpContext context, bool isChat)
    {
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, runtime.Stopping);
        var cancellationToken = linked.Token;
        var response = context.Response;
        if (!runtime.State.IsReady)
        {
            response.StatusCode = StatusCodes.Status503ServiceUnavailable;
            await response.WriteAsync(Unavailable, cancellationToken).ConfigureAwait(false);
            return;
        }

        CompletionRequest request;
        try
        {
            using var body = await JsonDocument.ParseAsync(context.Request.Body, default, cancellationToken).ConfigureAwait(false);
            request = CompletionRequestParser.Parse(body.RootElement, isChat, runtime.Options.Model, runtime.Config.MaxSeqLen);
        }
        catch (Exception ex) when (ex is RequestValidationException or JsonException)
        {
            await OpenAiError.WriteAsync(response, 400, "BadRequestError", ex.Message, cancellationToken).ConfigureAwait(false);
            return;
        }

        if (runtime.State.ShouldFailNextRequest())
        {
            await OpenAiError.WriteAsync(response, 500, "InternalServerError",
                "Encountered an error in forward function: CUDA error: an illegal memory access was encountered", cancellationToken).ConfigureAwait(false);
            return;
        }

        var seqLen = request.PromptTokens + request.MaxTokens;
        if (seqLen > runtime.Config.MaxSeqLen)
        {
            await OpenAiError.WriteAsync(response, 400, "BadRequestError",
                $"The sum of prompt length ({request.PromptTokens}) and max_tokens ({request.MaxTokens}) = {seqLen} "
                    + $"exceeds max_seq_len ({runtime.Config.MaxSeqLen})",
                cancellationToken).ConfigureAwait(false);
            return;
        }

        var sequence = await StartSequenceAsync(request, cancellationToken).ConfigureAwait(false);
        var text = new GeneratedText(sequence.Id, request.Disagg is { FirstGenTokens.Count: > 0 } disagg ? disagg.FirstGenTokens[0] : null);
        var disaggOut = sequence.ContextOnly ? ContextHandoff(request, sequence, text) : null;
        var writer = new CompletionWriter(request, CompletionWriter.NewId(isChat, sequence.Id), DateTimeOffset.UtcNow.ToUnixTimeSeconds());
        var completed = request.Stream
            ? await StreamAsync(response, writer, sequence, text, disaggOut, request.IncludeUsage, cancellationToken).ConfigureAwait(false)
            : await RespondOnceAsync(response, writer, sequence, text, disaggOut, cancellationToken).ConfigureAwait(false);
        if (completed)
        {
            runtime.State.OnRequestCompleted();
        }
        else
        {
            context.Abort();
        }
    }

    private async Task<Sequence> StartSequenceAsync(CompletionRequest request, CancellationToken cancellationToken)
    {
        var id = runtime.State.NextSequenceId();
        var interval = runtime.Config.StreamInterval;
        switch (request.Disagg?.RequestType)
        {
            case DisaggParams.ContextOnly:
                var ctx = new Sequence(id, request.PromptTokens, 1, contextOnly: true, interval, cancellationToken)
                {
                    SimConcurrency = request.SimConcurrency,
                    SimBlock = request.SimBlock,
                };
                runtime.Scheduler.SubmitPrefill(ctx);
                return ctx;
            case DisaggParams.GenerationOnly:
                await IterationClock.DelayAsync(runtime.Latency.KvTransferMs(request.PromptTokens), cancellationToken).ConfigureAwait(false);
                var gen = new Sequence(id, request.PromptTokens, request.MaxTokens, contextOnly: false, interval, cancellationToken)
                {
                    SimConcurrency = request.SimConcurrency,
                    SimBlock = request.SimBlock,
                };
                runtime.Scheduler.SubmitDecode(gen);
                return gen;
            default:
                var plain = new Sequence(id, request.PromptTokens, request.MaxTokens, contextOnly: false, interval, cancellationToken)
                {
                    SimConcurrency = request.SimConcurrency,
                    SimBlock = request.SimBlock,
                };
                runtime.Scheduler.SubmitPrefill(plain);
                return plain;
        }
    }

    private DisaggParamsOut ContextHandoff(CompletionRequest request, Sequence sequence, GeneratedText text) => new(
        sequence.Id,
        text.TokenId(0),
        CompletionWriter.OpaqueState(runtime.Options.Host, runtime.Options.Port, sequence.Id),
        request.Disagg?.DisaggRequestId);

    private static async Task<bool> StreamAsync(
        HttpResponse response, CompletionWriter writer, Sequence sequence, GeneratedText text, DisaggParamsOut? disagg, bool includeUsage,
        CancellationToken cancellationToken)
    {
        writer.StartStream(response);
        var first = true;
        try
        {
            await foreach (var chunk in sequence.Output.ReadAllAsync(cancellationToken).ConfigureAwait(false))
            {
                await writer.WriteChunkAsync(response, text.Text(chunk.Start, chunk.Count), first, chunk.Finished,
                    chunk.Finished ? disagg : null, cancellationToken).ConfigureAwait(false);
                first = false;
            }
        }
        catch (OperationCanceledException)
        {
            return false;
        }

        if (!sequence.Finished)
        {
            return false;
        }

        if (includeUsage)
        {
            await writer.WriteUsageChunkAsync(response, sequence.Generated, cancellationToken).ConfigureAwait(false);
        }

        await writer.WriteDoneAsync(response, cancellationToken).ConfigureAwait(false);
        return true;
    }

    private static async Task<bool> RespondOnceAsync(
        HttpResponse response, CompletionWriter writer, Sequence sequence, GeneratedText text, DisaggParamsOut? disagg, CancellationToken cancellationToken)
    {
        try
        {
            await foreach (var unused in sequence.Output.ReadAllAsync(cancellationToken).ConfigureAwait(false))
            {
                // Only the end matters for a non-streaming response.
            }
        }
        catch (OperationCanceledException)
        {
            return false;
        }

        if (!sequence.Finished)
        {
            return false;
        }

        await writer.WriteFullAsync(response, text.Text(0, sequence.Generated), sequence.Generated, disagg, cancellationToken).ConfigureAwait(false);
        return true;
    }
}
