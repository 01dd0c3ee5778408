using System.Text.Json;
using Disagg.Sim.Common;

namespace Disagg.Sim.Worker.Http;

/// <summary>
/// Parses <c>/v1/completions</c> and <c>/v1/chat/completions</c> bodies. Prompt tokens: a string counts one token per
/// word, a token-id array counts its length.
/// </summary>
internal static class CompletionRequestParser
{
    /// <summary>OpenAI's default <c>max_tokens</c> for completions.</summary>
    public const int DefaultCompletionMaxTokens = 16;

    public static CompletionRequest Parse(JsonElement root, bool isChat, string defaultModel, int maxSeqLen)
    {
        if (root.ValueKind != JsonValueKind.Object)
        {
            throw new RequestValidationException("request body must be a JSON object");
        }

        var promptTokens = isChat ? CountChatTokens(root) : CountPromptTokens(root);
        var maxTokens = ReadMaxTokens(root, isChat) ?? (isChat ? Math.Max(1, maxSeqLen - promptTokens) : DefaultCompletionMaxTokens);
        if (maxTokens < 1)
        {
            throw new RequestValidationException($"max_tokens must be at least 1, got {maxTokens}");
        }

        var stream = root.TryGetProperty("stream", out var s) && s.ValueKind == JsonValueKind.True;
        var includeUsage = root.TryGetProperty("stream_options", out var options) && options.ValueKind == JsonValueKind.Object
            && options.TryGetProperty("include_usage", out var usage) && usage.ValueKind == JsonValueKind.True;
        var model = root.TryGetProperty("model", out var m) && m.ValueKind == JsonValueKind.String ? m.GetString()! : defaultModel;
        var block = root.TryGetProperty("sim_block", out var b) && b.ValueKind == JsonValueKind.Object ? b : (JsonElement?)null;
        return new CompletionRequest(isChat, model, promptTokens, maxTokens, stream, includeUsage, ReadDisagg(root))
        {
            SimConcurrency = block is { } c && c.TryGetProperty("concurrency", out var cv) && cv.ValueKind == JsonValueKind.Number
                && cv.TryGetInt32(out var ci) ? ci : null,
            SimBlock = block is { } i && i.TryGetProperty("id", out var iv) && iv.ValueKind == JsonValueKind.String ? iv.GetString() : null,
        };
    }

    private static int CountPromptTokens(JsonElement root)
    {
        if (!root.TryGetProperty("prompt", out var prompt))
        {
            throw new RequestValidationException("field 'prompt' is required");
        }

        return CountPrompt(prompt, "prompt");
    }

    private static int CountPrompt(JsonElement prompt, string field)
    {
        switch (prompt.ValueKind)
        {
            case JsonValueKind.String:
                return WordVocabulary.CountTokens(prompt.GetString()!);
            case JsonValueKind.Array when prompt.GetArrayLength() == 0:
                throw new RequestValidationException($"'{field}' must not be empty");
            case JsonValueKind.Array when prompt[0].ValueKind == JsonValueKind.Number:
                return prompt.GetArrayLength();
            case JsonValueKind.Array when prompt.GetArrayLength() == 1:
                return CountPrompt(prompt[0], field);
            case JsonValueKind.Array:
                throw new RequestValidationException($"batched '{field}' lists are not supported; send one prompt per request");
            default:
                throw new RequestValidationException($"'{field}' must be a string or a list of token ids");
        }
    }

    private static int CountChatTokens(JsonElement root)
    {
        if (root.TryGetProperty("prompt_token_ids", out var ids) && ids.ValueKind == JsonValueKind.Array)
        {
            return ids.GetArrayLength();
        }

        if (!root.TryGetProperty("messages", out var messages) || messages.ValueKind != JsonValueKind.Array || messages.GetArrayLength() == 0)
        {
            throw new RequestValidationException("field 'messages' must be a non-empty list");
        }

        var tokens = 0;
        foreach (var message in messages.EnumerateArray())
        {
            if (message.ValueKind == JsonValueKind.Object && message.TryGetProperty("content", out var content))
            {
                tokens += CountContent(content);
            }
        }

        return tokens;
    }

    private static int CountContent(JsonElement content)
    {
        if (content.ValueKind == JsonValueKind.String)
        {
            return WordVocabulary.CountTokens(content.GetString()!);
        }

        if (content.ValueKind != JsonValueKind.Array)
        {
            return 0;
        }

        var tokens = 0;
        foreach (var part in content.EnumerateArray())
        {
            if (part.ValueKind == JsonValueKind.Object && part.TryGetProperty("text", out var text) && text.ValueKind == JsonValueKind.String)
            {
                tokens += WordVocabulary.CountTokens(text.GetString()!);
            }
        }

        return tokens;
    }

    private static int? ReadMaxTokens(JsonElement root, bool isChat)
    {
        string[] names = isChat ? ["max_completion_tokens", "max_tokens"] : ["max_tokens"];
        foreach (var name in names)
        {
            if (root.TryGetProperty(name, out var value) && value.ValueKind != JsonValueKind.Null)
            {
                return value.ValueKind == JsonValueKind.Number && value.TryGetInt32(out var n)
                    ? n
                    : throw new RequestValidationException($"'{name}' must be an integer");
            }
        }

        return null;
    }

    private static DisaggParams? ReadDisagg(JsonElement root)
    {
        if (!root.TryGetProperty("disaggregated_params", out var p) || p.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        if (p.ValueKind != JsonValueKind.Object || !p.TryGetProperty("request_type", out var type) || type.ValueKind != JsonValueKind.String)
        {
            throw new RequestValidationException("disaggregated_params.request_type is required");
        }

        var requestType = type.GetString()!;
        if (requestType is not (DisaggParams.ContextOnly or DisaggParams.GenerationOnly))
        {
            throw new RequestValidationException(
                $"Unknown disaggregated request_type '{requestType}', expected 'context_only' or 'generation_only'");
        }

        var firstTokens = new List<int>();
        if (p.TryGetProperty("first_gen_tokens", out var tokens) && tokens.ValueKind == JsonValueKind.Array)
        {
            firstTokens.AddRange(tokens.EnumerateArray().Where(t => t.ValueKind == JsonValueKind.Number).Select(t => t.GetInt32()));
        }

        return new DisaggParams(requestType, OptionalLong(p, "ctx_request_id"), firstTokens, OptionalLong(p, "disagg_request_id"));
    }

    private static long? OptionalLong(JsonElement obj, string name) =>
        obj.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Number && value.TryGetInt64(out var n) ? n : null;
}
