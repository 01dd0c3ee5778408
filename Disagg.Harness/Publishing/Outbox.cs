using System.Text;
using System.Text.Json;

namespace Disagg.Harness.Publishing;

/// <summary>
/// <c>&lt;results-dir&gt;/outbox/&lt;id&gt;.json</c>: every payload is written here atomically before any network
/// call and removed once its destination accepted it, so a crash or an outage loses nothing.
/// </summary>
public sealed class Outbox(string resultsDir)
{
    public string Folder { get; } = Path.Combine(resultsDir, "outbox");

    public string PathOf(string id) => Path.Combine(Folder, id + ".json");

    public string Write(OutboxEntry entry)
    {
        Directory.CreateDirectory(Folder);
        var path = PathOf(entry.Id);
        var temp = path + ".tmp";
        using (var stream = File.Create(temp))
        using (var writer = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true }))
        {
            writer.WriteStartObject();
            writer.WriteString("id", entry.Id);
            writer.WriteString("kind", entry.Kind);
            writer.WriteString("test_id", entry.TestId);
            writer.WriteString("created_utc", entry.CreatedUtc);
            writer.WriteNumber("sends", entry.Sends);
            if (entry.LastError is null) writer.WriteNull("last_error");
            else writer.WriteString("last_error", entry.LastError);
            writer.WritePropertyName("payload");
            writer.WriteRawValue(entry.Payload);
            writer.WriteEndObject();
            writer.Flush();
            stream.Flush(flushToDisk: true);
        }
        File.Move(temp, path, overwrite: true);
        return path;
    }

    public IReadOnlyList<OutboxEntry> Pending()
    {
        if (!Directory.Exists(Folder)) return [];
        return [.. Directory.GetFiles(Folder, "*.json").Order(StringComparer.Ordinal).Select(Read)];
    }

    public static OutboxEntry Read(string path)
    {
        try
        {
            using var json = JsonDocument.Parse(File.ReadAllText(path, Encoding.UTF8));
            var root = json.RootElement;
            return new OutboxEntry(
                root.GetProperty("id").GetString()!,
                root.GetProperty("kind").GetString()!,
                root.GetProperty("test_id").GetString()!,
                root.GetProperty("created_utc").GetDateTimeOffset(),
                root.GetProperty("sends").GetInt32(),
                root.GetProperty("last_error").GetString(),
                root.GetProperty("payload").GetRawText());
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException or FormatException)
        {
            throw new InvalidDataException($"outbox file {path} is not a valid outbox entry ({e.Message}); move it aside and rerun upload-pending", e);
        }
    }

    public void Remove(string id) => File.Delete(PathOf(id));
}
