using System.Text;
using System.Text.Json;
using Disagg.Harness.Configuration;

namespace Disagg.Harness.Publishing;

/// <summary>
/// <c>&lt;results-dir&gt;/outbox/&lt;id&gt;.json</c>: every payload is written here atomically before any network
/// call and removed once its destination accepted it, so a crash or an outage loses nothing. An entry is identified
/// by its file name, never by what the file says about itself: ids are checked (<see cref="Names.Word"/>), and a file
/// whose content names another id (a copy), cannot be read, or is not an entry at all is quarantined by
/// <see cref="Scan"/>. Nothing outside the outbox folder is written, moved or removed.
/// </summary>
public sealed class Outbox(string resultsDir)
{
    /// <summary>Bytes of one entry file; a payload is a few KiB per concurrency.</summary>
    public const int MaxEntryBytes = 64 * 1024 * 1024;

    private const string Suffix = ".json";
    private const string TempSuffix = ".tmp";

    public string Folder { get; } = Path.Combine(resultsDir, "outbox");

    /// <summary>The file of entry <paramref name="id"/>; an id that is not a plain name is refused.</summary>
    public string PathOf(string id) =>
        Names.Word(id) is { } problem ? throw new ArgumentException($"outbox entry id {problem}", nameof(id)) : Path.Combine(Folder, id + Suffix);

    public string Write(OutboxEntry entry)
    {
        var path = PathOf(entry.Id);
        Directory.CreateDirectory(Folder);
        var temp = path + TempSuffix;
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

    /// <summary>The valid entries, in file-name order; other files are skipped (and left where they are).</summary>
    public IReadOnlyList<OutboxEntry> Pending() => Scan(quarantine: false).Entries;

    /// <summary>
    /// Reads every file directly in the outbox. Valid entries are returned; with <paramref name="quarantine"/> every
    /// other file except leftover <c>.tmp</c> files is moved to <c>outbox/quarantine/</c> with its reason.
    /// </summary>
    public OutboxScan Scan(bool quarantine)
    {
        if (!Directory.Exists(Folder)) return new OutboxScan([], [], []);
        var (entries, quarantined, leftovers) = (new List<OutboxEntry>(), new List<string>(), new List<string>());
        foreach (var path in Directory.GetFiles(Folder).Order(StringComparer.Ordinal))
        {
            var name = Path.GetFileName(path);
            if (name.EndsWith(Suffix + TempSuffix, StringComparison.Ordinal) && new FileInfo(path).LinkTarget is null)
            {
                var info = new FileInfo(path);
                leftovers.Add($"outbox file {OutboxQuarantine.Show(name)} ({info.Length} bytes, {info.LastWriteTimeUtc:yyyy-MM-dd HH:mm:ss} UTC) " +
                    "was left by an " +
                    "interrupted write and is not uploaded; the entry it was replacing (if any) is still sent. Delete it once you have looked at it");
                continue;
            }
            var (entry, problem) = Read(path);
            if (entry is not null) entries.Add(entry);
            else if (quarantine) quarantined.Add(OutboxQuarantine.Move(Folder, path, problem!));
        }
        return new OutboxScan(entries, quarantined, leftovers);
    }

    /// <summary>An entry from its file, or why the file is not one. The id is the file name; the file must agree.</summary>
    public static (OutboxEntry? Entry, string? Problem) Read(string path)
    {
        var name = Path.GetFileName(path);
        if (!name.EndsWith(Suffix, StringComparison.Ordinal)) return (null, "is not an outbox entry (entries are <id>.json)");
        var id = name[..^Suffix.Length];
        if (Names.Word(id) is { } badId) return (null, $"has a name that is not an entry id: {badId}");
        var info = new FileInfo(path);
        if (info.LinkTarget is not null) return (null, "is a symbolic link; entries are regular files written by Disagg");
        if (info.Length > MaxEntryBytes) return (null, $"is {info.Length} bytes, above the limit of {MaxEntryBytes}");
        try
        {
            var text = new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(File.ReadAllBytes(path));
            using var json = JsonDocument.Parse(text);
            var root = json.RootElement;
            var claimed = root.GetProperty("id").GetString();
            if (claimed != id)
                return (null, $"says it is entry '{OutboxQuarantine.Show(claimed ?? "null")}' but is named {OutboxQuarantine.Show(name)} " +
                    "(a copy of another entry, or edited by hand)");
            var kind = root.GetProperty("kind").GetString();
            if (kind is not (OutboxEntry.OpenSearch or OutboxEntry.PerfDb))
                return (null, $"has kind '{OutboxQuarantine.Show(kind ?? "null")}'; expected {OutboxEntry.OpenSearch} or {OutboxEntry.PerfDb}");
            var testId = root.GetProperty("test_id").GetString() ?? "";
            if (!Common.FilterSafeId.IsMatch(testId)) return (null, $"has test_id '{OutboxQuarantine.Show(testId)}', which is not a test id");
            var sends = root.GetProperty("sends").GetInt32();
            if (sends < 0) return (null, $"has sends {sends}");
            var payload = root.GetProperty("payload");
            if (payload.ValueKind is not (JsonValueKind.Object or JsonValueKind.Array)) return (null, "has no payload object");
            return (new OutboxEntry(id, kind, testId, root.GetProperty("created_utc").GetDateTimeOffset(), sends,
                root.GetProperty("last_error").GetString(), payload.GetRawText()), null);
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException or FormatException or DecoderFallbackException)
        {
            return (null, $"cannot be read as an outbox entry ({e.Message})");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return (null, $"cannot be read ({e.Message})");
        }
    }

    public void Remove(string id) => File.Delete(PathOf(id));
}
