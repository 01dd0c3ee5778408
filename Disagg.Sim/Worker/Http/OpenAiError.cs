using Disagg.Sim.Common;

namespace Disagg.Sim.Worker.Http;

/// <summary>Writes trtllm-serve's error body: <c>{"object":"error","message":...,"type":...,"param":null,"code":N}</c>.</summary>
internal static class OpenAiError
{
    public static Task WriteAsync(HttpResponse response, int status, string type, string message, CancellationToken cancellationToken) =>
        JsonResponse.WriteAsync(response, status, json =>
        {
            json.WriteStartObject();
            json.WriteString("object", "error");
            json.WriteString("message", message);
            json.WriteString("type", type);
            json.WriteNull("param");
            json.WriteNumber("code", status);
            json.WriteEndObject();
        }, cancellationToken);
}
