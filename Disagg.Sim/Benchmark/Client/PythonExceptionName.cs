using System.Net.Sockets;
using System.Text.Json;

namespace Disagg.Sim.Benchmark.Client;

/// <summary>Maps .NET transport exceptions to the aiohttp/Python exception names the real client reports.</summary>
internal static class PythonExceptionName
{
    public static string Of(Exception ex)
    {
        for (Exception? current = ex; current is not null; current = current.InnerException)
        {
            switch (current)
            {
                case SocketException { SocketErrorCode: SocketError.ConnectionRefused or SocketError.HostNotFound
                    or SocketError.HostUnreachable or SocketError.NetworkUnreachable }:
                    return "ClientConnectorError";
                case HttpIOException { HttpRequestError: HttpRequestError.ResponseEnded }:
                    return "ClientPayloadError";
                case JsonException:
                    return "JSONDecodeError";
                case TimeoutException:
                    return "TimeoutError";
            }
        }

        return ex switch
        {
            HttpRequestException { HttpRequestError: HttpRequestError.ConnectionError } => "ClientConnectorError",
            HttpRequestException => "ServerDisconnectedError",
            IOException => "ClientPayloadError",
            _ => ex.GetType().Name,
        };
    }
}
