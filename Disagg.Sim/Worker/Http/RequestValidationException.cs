namespace Disagg.Sim.Worker.Http;

/// <summary>A request the server rejects with HTTP 400.</summary>
internal sealed class RequestValidationException(string message) : Exception(message);
