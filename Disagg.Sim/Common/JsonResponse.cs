using System.Text.Json;

namespace Disagg.Sim.Common;

/// <summary>JSON bodies written straight into the response pipe, as the worker's and the disagg server's routes answer.</summary>
internal static class JsonResponse
{
    /// <summary>Sets the status and the JSON content type, writes the one value <paramref name="writeValue"/> writes, and flushes.</summary>
    public static async Task WriteAsync(HttpResponse response, int status, Action<Utf8JsonWriter> writeValue, CancellationToken cancellationToken)
    {
        response.StatusCode = status;
        response.ContentType = "application/json";
        using (var json = new Utf8JsonWriter(response.BodyWriter))
        {
            writeValue(json);
        }

        await response.BodyWriter.FlushAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>A 200 whose body is one object with the properties <paramref name="writeProperties"/> writes.</summary>
    public static Task WriteObjectAsync(HttpContext context, Action<Utf8JsonWriter> writeProperties) =>
        WriteAsync(context.Response, 200, json =>
        {
            json.WriteStartObject();
            writeProperties(json);
            json.WriteEndObject();
        }, context.RequestAborted);
}
