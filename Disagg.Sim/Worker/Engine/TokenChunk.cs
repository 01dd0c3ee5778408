namespace Disagg.Sim.Worker.Engine;

/// <summary>Tokens produced for one sequence since the last chunk: positions <c>[Start, Start+Count)</c>.</summary>
internal readonly record struct TokenChunk(int Start, int Count, bool Finished);
