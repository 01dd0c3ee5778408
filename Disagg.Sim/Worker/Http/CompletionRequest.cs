namespace Disagg.Sim.Worker.Http;

/// <summary>The disaggregated-serving part of a request (<c>disaggregated_params</c>).</summary>
internal sealed record DisaggParams(string RequestType, long? CtxRequestId, IReadOnlyList<int> FirstGenTokens, long? DisaggRequestId)
{
    public const string ContextOnly = "context_only";
    public const string GenerationOnly = "generation_only";
}

/// <summary>The fields of an OpenAI completion or chat request that the simulator uses.</summary>
internal sealed record CompletionRequest(
    bool IsChat,
    string Model,
    int PromptTokens,
    int MaxTokens,
    bool Stream,
    bool IncludeUsage,
    DisaggParams? Disagg);

/// <summary>A request the server rejects with HTTP 400.</summary>
internal sealed class RequestValidationException(string message) : Exception(message);
