namespace Disagg.Sim.LmEval;

/// <summary>The server's reply to one document, or the error that remained after the retries.</summary>
internal sealed record Answer(int Doc, string Text, string? Error);
