using System.Text.Json;

namespace Disagg.Sim.Worker.Http;

/// <summary>Writes trtllm-serve's error body: <c>{"object":"error","message":...,"type":...,"param":null,"code":N}</c>.</summary>
internal static class OpenAiError
{
    public static async Task WriteAsync(HttpResponse response, int status, string type, string message, CancellationToken cancellationToken)
    {
        response.StatusCode = status;
        response.ContentType = "application/json";
        using (var json = new Utf8JsonWriter(response.BodyWriter))
        {
            json.WriteStartObject();
            json.WriteString("object", "error");
            json.WriteString("message", message);
            json.WriteString("type", type);
            json.WriteNull("param");
            json.WriteNumber("code", status);
            json.WriteEndObject();
        }

        await response.BodyWriter.FlushAsync(cancellationToken).ConfigureAwait(false);
    }
}
