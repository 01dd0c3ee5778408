using System.Globalization;
using System.Text.RegularExpressions;
using Disagg.Harness.Configuration;

namespace Disagg.Harness.Results;

/// <summary>
/// Parses the benchmark client's output block by block (benchmark-output.md §8): labels are matched by
/// text, each block is bound to its "Benchmarking with concurrency" / "done" lines, and the warm-up
/// block before "Starting benchmark..." is kept apart instead of being reported as a concurrency.
/// </summary>
public static partial class BenchmarkLogParser
{
    private const string BlockHeader = "============ Serving Benchmark Result ============";
    private static readonly string BlockFooter = new('=', 50);

    [GeneratedRegex(@"^\d+: ?")] private static partial Regex RankPrefix();
    [GeneratedRegex(@"^Benchmarking with concurrency (\d+) \.\.\. (\d+) prompts$")] private static partial Regex BenchmarkingLine();
    [GeneratedRegex(@"^Benchmark with concurrency (\d+) done$")] private static partial Regex DoneLine();
    [GeneratedRegex(@"^(.+?:)\s+(-?(?:\d+(?:\.\d*)?|\.\d+)|nan|inf|-inf)$")] private static partial Regex MetricLine();

    public static string Normalize(string line) => RankPrefix().Replace(line.TrimEnd(), "", 1);

    public static BenchmarkLog Parse(string text, string file)
    {
        var blocks = new List<ConcurrencyResult>();
        var problems = new List<string>();
        ConcurrencyResult? warmup = null;
        var started = false;
        int? announced = null;
        int? announcedPrompts = null;
        BlockBuilder? open = null;
        var lines = text.Split('\n');

        for (var i = 0; i < lines.Length; i++)
        {
            var lineNo = i + 1;
            var line = Normalize(lines[i]);
            if (open is not null)
            {
                if (line == BlockFooter)
                {
                    var block = open.Build(lineNo);
                    if (!started) warmup = block;
                    else if (announced is null)
                        problems.Add($"{file}:{open.StartLine}: result block without a preceding 'Benchmarking with concurrency' line; ignored");
                    else blocks.Add(block);
                    open = null;
                    continue;
                }
                if (line.Contains("!FAILED REQUESTS!", StringComparison.Ordinal) || line.Contains("!CHECK LOG FOR ERRORS!", StringComparison.Ordinal))
                {
                    open.FailedBanner = true;
                    continue;
                }
                var metric = MetricLine().Match(line);
                if (metric.Success && MetricCatalog.ByLabel(metric.Groups[1].Value) is { } info)
                {
                    if (open.Metrics.ContainsKey(info.Name))
                        problems.Add($"{file}:{lineNo}: '{info.Label}' appears twice in the result block starting at line {open.StartLine}; the last value is used");
                    open.Metrics[info.Name] = ParseValue(metric.Groups[2].Value);
                }
                continue;
            }

            if (line == BlockHeader)
            {
                open = new BlockBuilder(started ? announced ?? 0 : 0, started ? announcedPrompts : null, lineNo);
                continue;
            }
            if (line == "Starting benchmark...")
            {
                started = true;
                continue;
            }
            var benchmarking = BenchmarkingLine().Match(line);
            if (benchmarking.Success)
            {
                started = true; // a log without the warm-up preamble still binds blocks correctly
                announced = int.Parse(benchmarking.Groups[1].Value, CultureInfo.InvariantCulture);
                announcedPrompts = int.Parse(benchmarking.Groups[2].Value, CultureInfo.InvariantCulture);
                continue;
            }
            var done = DoneLine().Match(line);
            if (done.Success)
            {
                var c = int.Parse(done.Groups[1].Value, CultureInfo.InvariantCulture);
                var index = blocks.FindLastIndex(b => b.Concurrency == c && !b.DoneLineSeen);
                if (index < 0 || c != announced)
                    problems.Add($"{file}:{lineNo}: 'Benchmark with concurrency {c} done' has no matching result block");
                else
                    blocks[index] = blocks[index] with { DoneLineSeen = true };
                announced = null;
            }
        }

        if (open is not null)
        {
            var last = blocks.LastOrDefault();
            problems.Add($"{file}:{open.StartLine}: log is truncated inside the result block of concurrency {open.Concurrency}; " +
                         (last is null ? "no complete block before it" : $"last complete block: concurrency {last.Concurrency} (lines {last.StartLine}-{last.EndLine})"));
        }
        else if (announced is { } pending && !blocks.Any(b => b.Concurrency == pending && !b.DoneLineSeen))
        {
            var last = blocks.LastOrDefault();
            problems.Add($"{file}: log ends after 'Benchmarking with concurrency {pending}' without its result block (client crashed or log truncated); " +
                         (last is null ? "no complete block before it" : $"last complete block: concurrency {last.Concurrency} (lines {last.StartLine}-{last.EndLine})"));
        }
        return new BenchmarkLog(file, blocks, warmup, problems);
    }

    /// <summary>Python prints non-finite floats as <c>nan</c>, <c>inf</c>, <c>-inf</c>, which .NET does not parse by itself.</summary>
    private static double ParseValue(string text) => text switch
    {
        "nan" => double.NaN,
        "inf" => double.PositiveInfinity,
        "-inf" => double.NegativeInfinity,
        _ => double.Parse(text, NumberStyles.Float, CultureInfo.InvariantCulture),
    };

    private sealed class BlockBuilder(int concurrency, int? prompts, int startLine)
    {
        public int Concurrency { get; } = concurrency;
        public int StartLine { get; } = startLine;
        public Dictionary<string, double> Metrics { get; } = new(StringComparer.Ordinal);
        public bool FailedBanner { get; set; }

        public ConcurrencyResult Build(int endLine) =>
            new(Concurrency, prompts, Metrics, FailedBanner, StartLine, endLine, DoneLineSeen: false);
    }
}
