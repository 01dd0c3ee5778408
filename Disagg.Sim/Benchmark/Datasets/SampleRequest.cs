namespace Disagg.Sim.Benchmark.Datasets;

/// <summary>One request to send: the prompt, its token count and the requested output length.</summary>
internal sealed record SampleRequest(string Prompt, int PromptLen, int ExpectedOutputLen);
