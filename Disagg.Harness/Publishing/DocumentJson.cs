using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Disagg.Harness.Publishing;

/// <summary>
/// Serialises documents the way the ingestion service types them: a double always carries a decimal
/// point (<c>5.0</c>, never <c>5</c>), so OpenSearch and the type check see a float. Values read back
/// from JSON keep their original text.
/// </summary>
public static class DocumentJson
{
    public static string Serialize(IEnumerable<JsonObject> documents, bool indented = false)
    {
        using var stream = new MemoryStream();
        using (var writer = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = indented }))
        {
            writer.WriteStartArray();
            foreach (var doc in documents) Write(writer, doc);
            writer.WriteEndArray();
        }
        return Encoding.UTF8.GetString(stream.ToArray());
    }

    public static void Write(Utf8JsonWriter writer, JsonNode? node)
    {
        switch (node)
        {
            case null:
                writer.WriteNullValue();
                break;
            case JsonObject obj:
                writer.WriteStartObject();
                foreach (var (key, value) in obj)
                {
                    writer.WritePropertyName(key);
                    Write(writer, value);
                }
                writer.WriteEndObject();
                break;
            case JsonArray array:
                writer.WriteStartArray();
                foreach (var item in array) Write(writer, item);
                writer.WriteEndArray();
                break;
            case JsonValue value when value.TryGetValue<double>(out var d) && !value.TryGetValue<JsonElement>(out _):
                writer.WriteRawValue(FormatDouble(d));
                break;
            case JsonValue value when value.TryGetValue<float>(out var f) && !value.TryGetValue<JsonElement>(out _):
                writer.WriteRawValue(FormatDouble(f));
                break;
            default:
                node.WriteTo(writer);
                break;
        }
    }

    /// <summary>Shortest round-trip text, with <c>.0</c> added when it would otherwise read as an integer.</summary>
    public static string FormatDouble(double value)
    {
        if (!double.IsFinite(value)) throw new ArgumentException($"{value} cannot be written as a JSON number", nameof(value));
        var text = value.ToString("R", CultureInfo.InvariantCulture);
        return text.AsSpan().IndexOfAny(".eE") >= 0 ? text : text + ".0";
    }
}
