using System.Formats.Tar;
using System.IO.Compression;
using System.Text;

namespace Disagg.Harness.Diagnostics;

/// <summary>
/// Writes a package as <c>.tar.gz</c> with System.Formats.Tar (no external tar): <c>summary.txt</c> first, the
/// rest in the given order. Written to a hidden <c>.partial</c> file and renamed, so a reader never sees half an archive.
/// </summary>
public static class DiagnosisArchive
{
    public static void Write(string path, string summary, IEnumerable<(string Name, string Text)> files)
    {
        var partial = Path.Combine(Path.GetDirectoryName(path)!, "." + Path.GetFileName(path) + ".partial");
        using (var file = File.Create(partial))
        using (var gzip = new GZipStream(file, CompressionLevel.Optimal))
        using (var tar = new TarWriter(gzip, TarEntryFormat.Pax, leaveOpen: false))
        {
            Add(tar, Rendering.JobFiles.DiagnosisSummary, summary);
            foreach (var (name, text) in files)
                if (name != Rendering.JobFiles.DiagnosisSummary) Add(tar, name, text);
        }
        File.Move(partial, path, overwrite: true);
    }

    private static void Add(TarWriter tar, string name, string text)
    {
        var entry = new PaxTarEntry(TarEntryType.RegularFile, name)
        {
            DataStream = new MemoryStream(Encoding.UTF8.GetBytes(text)),
            Mode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead,
            ModificationTime = DateTimeOffset.UtcNow,
        };
        tar.WriteEntry(entry);
    }
}
