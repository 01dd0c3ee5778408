namespace Disagg.Sim.Worker.Http;

/// <summary>The fields of an OpenAI completion or chat request that the simulator uses.</summary>
internal sealed record CompletionRequest(
    bool IsChat,
    string Model,
    int PromptTokens,
    int MaxTokens,
    bool Stream,
    bool IncludeUsage,
    DisaggParams? Disagg);
