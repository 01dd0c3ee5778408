using System.Text;

namespace Disagg.Harness.Publishing;

/// <summary>
/// <c>&lt;results-dir&gt;/upload-failures.txt</c>: the run-level list of uploads that still failed after retries, one
/// line per failure (<see cref="UploadFailure.ToLine"/>). Teardown appends; <c>upload-pending</c> rewrites it to what is
/// still failing (and deletes it when nothing is). <c>run_disagg_test.sh</c> prints it and exits non-zero when it is not
/// empty, unless <c>--allow-upload-failure</c>. It never changes a test's perf verdict.
/// </summary>
public static class UploadFailureLog
{
    public const string FileName = "upload-failures.txt";

    // Tests of one run publish from parallel NUnit workers of one process.
    private static readonly object Gate = new();
    private static readonly UTF8Encoding Utf8 = new(encoderShouldEmitUTF8Identifier: false);

    public static string PathIn(string resultsDir) => Path.Combine(resultsDir, FileName);

    /// <summary>Adds <paramref name="failures"/>; an earlier line of the same outbox file (a rerun into the same folder) is replaced.</summary>
    public static void Append(string resultsDir, IReadOnlyCollection<UploadFailure> failures)
    {
        if (failures.Count == 0) return;
        lock (Gate)
        {
            Directory.CreateDirectory(resultsDir);
            var paths = failures.Select(f => f.OutboxPath).ToHashSet(StringComparer.Ordinal);
            var earlier = Read(resultsDir);
            if (earlier.Any(f => paths.Contains(f.OutboxPath)))
                Write(resultsDir, [.. earlier.Where(f => !paths.Contains(f.OutboxPath)), .. failures]);
            else
                File.AppendAllLines(PathIn(resultsDir), failures.Select(f => f.ToLine()), Utf8);
        }
    }

    public static IReadOnlyList<UploadFailure> Read(string resultsDir)
    {
        var path = PathIn(resultsDir);
        lock (Gate)
            return File.Exists(path) ? [.. File.ReadAllLines(path, Utf8).Select(UploadFailure.Parse).OfType<UploadFailure>()] : [];
    }

    /// <summary>
    /// After a resend: earlier failures whose outbox file is gone (delivered) are dropped, those retried now are replaced
    /// by <paramref name="failures"/>, the others (destination not configured this time) stay.
    /// </summary>
    public static void Refresh(string resultsDir, IReadOnlyCollection<UploadFailure> failures)
    {
        var retried = failures.Select(f => f.OutboxPath).ToHashSet(StringComparer.Ordinal);
        var kept = Read(resultsDir).Where(f => File.Exists(f.OutboxPath) && !retried.Contains(f.OutboxPath)).Concat(failures).ToList();
        lock (Gate)
        {
            if (kept.Count == 0) File.Delete(PathIn(resultsDir));
            else Write(resultsDir, kept);
        }
    }

    private static void Write(string resultsDir, IReadOnlyList<UploadFailure> failures)
    {
        var path = PathIn(resultsDir);
        var temp = path + ".tmp";
        File.WriteAllLines(temp, failures.Select(f => f.ToLine()), Utf8);
        File.Move(temp, path, overwrite: true);
    }
}
