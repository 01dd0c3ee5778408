using System.Globalization;

namespace Disagg.Sim.Common;

/// <summary>Log lines in the shapes trtllm-serve prints: uvicorn's <c>INFO:     </c> and TensorRT-LLM's <c>[TRT-LLM] [I]</c>.</summary>
internal static class ServerLog
{
    /// <summary><c>INFO:     message</c> (uvicorn pads the level to 9 characters).</summary>
    public static void Uvicorn(string message, string level = "INFO") =>
        Console.Out.WriteLine((level + ":").PadRight(10) + message);

    /// <summary><c>[11/28/2025-20:08:00] [TRT-LLM] [I] message</c>.</summary>
    public static void Trt(string message, char level = 'I')
    {
        var stamp = DateTime.Now.ToString("MM/dd/yyyy-HH:mm:ss", CultureInfo.InvariantCulture);
        Console.Out.WriteLine($"[{stamp}] [TRT-LLM] [{level}] {message}");
    }

    /// <summary>uvicorn's access-log line: <c>INFO:     127.0.0.1:5555 - "POST /v1/completions HTTP/1.1" 200 OK</c>.</summary>
    public static void Access(string client, string method, string path, string protocol, int status) =>
        Uvicorn($"{client} - \"{method} {path} {protocol}\" {status} {ReasonPhrase(status)}");

    private static string ReasonPhrase(int status) => status switch
    {
        200 => "OK",
        400 => "Bad Request",
        404 => "Not Found",
        405 => "Method Not Allowed",
        500 => "Internal Server Error",
        503 => "Service Unavailable",
        _ => string.Empty,
    };
}
