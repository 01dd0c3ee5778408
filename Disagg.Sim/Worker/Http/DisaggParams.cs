namespace Disagg.Sim.Worker.Http;

/// <summary>The disaggregated-serving part of a request (<c>disaggregated_params</c>).</summary>
internal sealed record DisaggParams(string RequestType, long? CtxRequestId, IReadOnlyList<int> FirstGenTokens, long? DisaggRequestId)
{
    public const string ContextOnly = "context_only";
    public const string GenerationOnly = "generation_only";
}
