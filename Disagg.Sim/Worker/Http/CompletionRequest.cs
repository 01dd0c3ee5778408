namespace Disagg.Sim.Worker.Http;

/// <summary>The fields of an OpenAI completion or chat request that the simulator uses.</summary>
internal sealed record CompletionRequest(
    bool IsChat,
    string Model,
    int PromptTokens,
    int MaxTokens,
    bool Stream,
    bool IncludeUsage,
    DisaggParams? Disagg)
{
    /// <summary>The simulator's own <c>sim_block</c> field (sent by its benchmark client): the block's concurrency, for <see cref="NoiseModel"/>.</summary>
    public int? SimConcurrency { get; init; }

    /// <summary>The id of the benchmark client run the request belongs to.</summary>
    public string? SimBlock { get; init; }
}
