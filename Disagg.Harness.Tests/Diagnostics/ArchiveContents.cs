using System.Formats.Tar;
using System.IO.Compression;
using System.Text;

namespace Disagg.Harness.Tests.Diagnostics;

/// <summary>Reads a diagnosis archive back: entry names in archive order and their text.</summary>
public static class ArchiveContents
{
    public static IReadOnlyList<(string Name, string Text)> Read(string path)
    {
        var entries = new List<(string, string)>();
        using var file = File.OpenRead(path);
        using var gzip = new GZipStream(file, CompressionMode.Decompress);
        using var tar = new TarReader(gzip);
        while (tar.GetNextEntry() is { } entry)
        {
            if (entry.EntryType is not (TarEntryType.RegularFile or TarEntryType.V7RegularFile)) continue;
            var name = entry.Name.StartsWith("./", StringComparison.Ordinal) ? entry.Name[2..] : entry.Name;
            if (entry.DataStream is null)
            {
                entries.Add((name, "")); // an empty file carries no data stream
                continue;
            }
            using var reader = new StreamReader(entry.DataStream, Encoding.UTF8);
            entries.Add((name, reader.ReadToEnd()));
        }
        return entries;
    }

    public static string Text(this IReadOnlyList<(string Name, string Text)> entries, string name) =>
        entries.Single(e => e.Name == name).Text;
}
