using System.Globalization;
using System.Text.RegularExpressions;
using Disagg.Harness.Rendering;

namespace Disagg.Harness.Results;

/// <summary>
/// The results of a <c>use_aiperf</c> job: aiperf prints no result block, so each concurrency's numbers come from
/// <c>concurrency_N/profile_export_aiperf.json</c> (<see cref="AiperfExport"/>), bound to the driver's
/// "Benchmarking with concurrency N ... R requests" and "Benchmark with concurrency N done" lines of the benchmark log.
/// The result is the same <see cref="BenchmarkLog"/> the default client's parser gives, so completeness, thresholds,
/// regression and documents need nothing of their own.
/// </summary>
public static partial class AiperfResults
{
    public const string ExportJson = AiperfBenchmarkScript.ExportJson;

    [GeneratedRegex(@"^Benchmarking with concurrency (\d+) \.\.\. (\d+) requests, duration \d+s$")] private static partial Regex BenchmarkingLine();
    [GeneratedRegex(@"^Benchmark with concurrency (\d+) done$")] private static partial Regex DoneLine();

    public static string ExportName(int concurrency) => Path.Combine($"concurrency_{concurrency}", ExportJson);

    /// <summary>Reads the exports of the expected concurrencies and of every concurrency the log announces.</summary>
    public static async Task<BenchmarkLog> ReadAsync(JobWorkspace workspace, string logText, string logPath, IReadOnlyList<int> expected,
        CancellationToken cancellationToken)
    {
        var announced = Announcements(logText);
        var exports = new Dictionary<int, (string Path, string? Text)>();
        foreach (var c in expected.Concat(announced.Select(a => a.Concurrency)).Distinct())
            exports[c] = (workspace.PathOf(ExportName(c)), await workspace.ReadTextAsync(ExportName(c), cancellationToken).ConfigureAwait(false));
        return Build(logText, logPath, exports);
    }

    /// <summary>Pure: the log's driver lines plus each concurrency's export text (null when the file does not exist).</summary>
    public static BenchmarkLog Build(string logText, string logPath, IReadOnlyDictionary<int, (string Path, string? Text)> exports)
    {
        var problems = new List<string>();
        var blocks = new List<ConcurrencyResult>();
        var lineCount = logText.Split('\n').Length;
        foreach (var (c, (path, text)) in exports.OrderBy(e => e.Key))
        {
            var announcement = Announcements(logText).LastOrDefault(a => a.Concurrency == c);
            if (text is null)
            {
                if (announcement.Line > 0)
                    problems.Add($"{path}: missing; {logPath}:{announcement.Line} started concurrency {c} but aiperf left no {ExportJson} " +
                                 "(it failed or was stopped; its output is in the benchmark log)");
                continue;
            }
            if (!AiperfExport.TryParse(text, path, out var metrics, out var problem))
            {
                problems.Add(problem);
                continue;
            }
            blocks.Add(new ConcurrencyResult(c, announcement.Line > 0 ? announcement.Requests : null, metrics, FailedBanner: false,
                announcement.Line, announcement.DoneLine > 0 ? announcement.DoneLine : lineCount, announcement.DoneLine > 0));
        }
        return new BenchmarkLog(logPath, blocks, Warmup: null, problems);
    }

    private static List<(int Concurrency, int? Requests, int Line, int DoneLine)> Announcements(string logText)
    {
        var result = new List<(int, int?, int, int)>();
        var lines = logText.Split('\n');
        for (var i = 0; i < lines.Length; i++)
        {
            var line = BenchmarkLogParser.Normalize(lines[i]);
            if (BenchmarkingLine().Match(line) is { Success: true } m && Count(m.Groups[1].Value) is { } c)
                result.Add((c, Count(m.Groups[2].Value), i + 1, 0));
            else if (DoneLine().Match(line) is { Success: true } d && Count(d.Groups[1].Value) is { } done)
            {
                var index = result.FindLastIndex(a => a.Item1 == done && a.Item4 == 0);
                if (index >= 0) result[index] = result[index] with { Item4 = i + 1 };
            }
        }
        return result;
    }

    private static int? Count(string text) =>
        int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value) ? value : null;
}
