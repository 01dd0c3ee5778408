namespace Disagg.Harness.Publishing;

/// <summary>
/// <c>outbox/quarantine/</c>: where <c>upload-pending</c> puts a file of the outbox it will not send (corrupt, foreign,
/// a copy of another entry), so the other entries still go out. The file keeps its name (a number is added when that
/// name is taken) and <c>&lt;name&gt;.reason.txt</c> beside it says why. Only files directly inside the outbox folder
/// are ever moved, and only into this folder.
/// </summary>
public static class OutboxQuarantine
{
    public const string FolderName = "quarantine";

    /// <summary>Moves <paramref name="path"/> (a file directly in <paramref name="outboxFolder"/>) and returns the message to show.</summary>
    public static string Move(string outboxFolder, string path, string reason)
    {
        var name = Path.GetFileName(path);
        if (!string.Equals(Path.GetDirectoryName(Path.GetFullPath(path)), Path.GetFullPath(outboxFolder).TrimEnd('/'), StringComparison.Ordinal))
            throw new InvalidOperationException($"{path} is not directly inside {outboxFolder}");
        var folder = Path.Combine(outboxFolder, FolderName);
        Directory.CreateDirectory(folder);
        var target = Path.Combine(folder, name);
        for (var n = 1; File.Exists(target) || Directory.Exists(target); n++) target = Path.Combine(folder, $"{name}.{n}");
        try
        {
            File.Move(path, target);
            File.WriteAllText(target + ".reason.txt", $"{name}: {reason}\n");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return $"outbox file {Show(name)} {reason}; it could not be moved to {folder} ({e.Message}): move it aside by hand";
        }
        return $"outbox file {Show(name)} {reason}; moved to {target} and not uploaded";
    }

    /// <summary>A file name for messages: control characters escaped so a hostile name cannot forge log lines.</summary>
    internal static string Show(string name) => Configuration.Names.Show(name);
}
