using System.Globalization;
using System.Text.RegularExpressions;
using Disagg.Harness.Configuration;

namespace Disagg.Harness.Results;

/// <summary>
/// Parses the benchmark client's output block by block: labels are matched by
/// text, each block is bound to its "Benchmarking with concurrency" / "done" lines, and the warm-up
/// block before "Starting benchmark..." is kept apart instead of being reported as a concurrency.
/// A bare client log (pasted output, no driver lines at all) is read too: each block is then bound to the
/// client's own "Maximum request concurrency" line. Every "label: number" line of a block is kept: catalog
/// labels (and their vLLM spellings, and any latency percentile) under the catalog name, others under a name
/// derived from the label.
/// </summary>
public static partial class BenchmarkLogParser
{
    private const string FailedCountLabel = "Total failed requests:";

    [GeneratedRegex(@"^\d+: ?")] private static partial Regex RankPrefix();
    [GeneratedRegex(@"^=+ ?Serving Benchmark Result ?=+$")] private static partial Regex BlockHeader();
    [GeneratedRegex(@"^={20,}$")] private static partial Regex BlockFooter();
    [GeneratedRegex(@"^Benchmarking with concurrency (\d+) \.\.\. (\d+) prompts(?: \(repeat (\d+)\))?$")] private static partial Regex BenchmarkingLine();
    [GeneratedRegex(@"^Benchmark with concurrency (\d+) done(?: \(repeat (\d+)\))?$")] private static partial Regex DoneLine();
    [GeneratedRegex(@"^(.+?:)\s+(-?(?:\d+(?:\.\d*)?|\.\d+)|nan|inf|-inf)$")] private static partial Regex MetricLine();
    [GeneratedRegex(@"[^a-z0-9]+")] private static partial Regex NonWord();

    public static string Normalize(string line) => RankPrefix().Replace(line.TrimEnd(), "", 1);

    public static BenchmarkLog Parse(string text, string file)
    {
        var blocks = new List<ConcurrencyResult>();
        var repeats = new List<ConcurrencyResult>();
        var repeat = 0;
        var problems = new List<string>();
        ConcurrencyResult? warmup = null;
        var lines = text.Split('\n');
        // Without any line of the driver (run_benchmark.sh) the log is the client's output on its own.
        var bare = !lines.Select(Normalize).Any(l => l == "Starting benchmark..." || BenchmarkingLine().IsMatch(l) || DoneLine().IsMatch(l));
        var started = bare;
        int? announced = null;
        int? announcedPrompts = null;
        int? clientConcurrency = null;
        BlockBuilder? open = null;

        for (var i = 0; i < lines.Length; i++)
        {
            var lineNo = i + 1;
            var line = Normalize(lines[i]);
            if (open is not null)
            {
                if (BlockFooter().IsMatch(line))
                {
                    var block = open.Build(lineNo);
                    if (bare) blocks.Add(BindBare(block, clientConcurrency, file, problems));
                    else if (!started) warmup = block;
                    else if (announced is null)
                        problems.Add($"{file}:{open.StartLine}: result block without a preceding 'Benchmarking with concurrency' line; ignored");
                    else if (repeat > 0) repeats.Add(block with { SampleIndex = repeat });
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
                if (!metric.Success) continue;
                var label = metric.Groups[1].Value;
                var value = ParseValue(metric.Groups[2].Value);
                if (label == FailedCountLabel)
                {
                    // The failed-requests banner repeats the count; it only fills in a block without "Failed requests:".
                    open.Metrics.TryAdd("failed_requests", value);
                    continue;
                }
                var name = MetricCatalog.ByLabel(label)?.Name ?? DerivedName(label);
                if (open.Metrics.ContainsKey(name))
                    problems.Add($"{file}:{lineNo}: '{label}' appears twice in the result block starting at line {open.StartLine}; the last value is used");
                open.Metrics[name] = value;
                continue;
            }

            if (BlockHeader().IsMatch(line))
            {
                open = new BlockBuilder(started ? announced ?? 0 : 0, started ? announcedPrompts : null, lineNo);
                continue;
            }
            if (line == "Starting benchmark...")
            {
                started = true;
                continue;
            }
            var outside = MetricLine().Match(line);
            if (outside.Success)
            {
                var label = outside.Groups[1].Value;
                if (MetricCatalog.ByLabel(label)?.Name == "max_request_concurrency" && TryCount(outside.Groups[2].Value, out var printed))
                    clientConcurrency = printed;
                else if (label == FailedCountLabel && !bare)
                    AttachFailedCount(blocks, announced, ParseValue(outside.Groups[2].Value));
                continue;
            }
            var benchmarking = BenchmarkingLine().Match(line);
            if (benchmarking.Success)
            {
                started = true; // a log without the warm-up preamble still binds blocks correctly
                repeat = benchmarking.Groups[3].Success && TryCount(benchmarking.Groups[3].Value, out var r) ? r : 0;
                if (TryCount(benchmarking.Groups[1].Value, out var c) && TryCount(benchmarking.Groups[2].Value, out var p))
                    (announced, announcedPrompts) = (c, p);
                else
                {
                    problems.Add($"{file}:{lineNo}: '{line}' names a concurrency or prompt count beyond {int.MaxValue}; its block is not bound");
                    (announced, announcedPrompts) = (null, null);
                }
                continue;
            }
            var done = DoneLine().Match(line);
            if (done.Success)
            {
                if (!TryCount(done.Groups[1].Value, out var c))
                {
                    problems.Add($"{file}:{lineNo}: '{line}' names a concurrency beyond {int.MaxValue}");
                    announced = null;
                    continue;
                }
                var doneRepeat = done.Groups[2].Success && TryCount(done.Groups[2].Value, out var dr) ? dr : 0;
                var list = doneRepeat > 0 ? repeats : blocks;
                var index = list.FindLastIndex(b => b.Concurrency == c && !b.DoneLineSeen && b.SampleIndex == doneRepeat);
                if (index < 0 || c != announced || doneRepeat != repeat)
                    problems.Add($"{file}:{lineNo}: '{line}' has no matching result block");
                else
                    list[index] = list[index] with { DoneLineSeen = true };
                announced = null;
                repeat = 0;
            }
        }

        if (open is not null)
        {
            var last = blocks.LastOrDefault();
            problems.Add($"{file}:{open.StartLine}: log is truncated inside the result block of concurrency {open.Concurrency}; " +
                         (last is null
                             ? "no complete block before it"
                             : $"last complete block: concurrency {last.Concurrency} (lines {last.StartLine}-{last.EndLine})"));
        }
        else if (announced is { } pending && !(repeat > 0 ? repeats : blocks).Any(b => b.Concurrency == pending && !b.DoneLineSeen))
        {
            var last = blocks.LastOrDefault();
            problems.Add($"{file}: log ends after 'Benchmarking with concurrency {pending}' without its result block (client crashed or log truncated); " +
                         (last is null
                             ? "no complete block before it"
                             : $"last complete block: concurrency {last.Concurrency} (lines {last.StartLine}-{last.EndLine})"));
        }
        return new BenchmarkLog(file, blocks, warmup, problems) { IsBareClientLog = bare, Repeats = repeats };
    }

    /// <summary>
    /// The SA client prints no request counts; run_benchmark_nv_sa.sh prints "Total failed requests: N" after its block.
    /// The count becomes the block's failed_requests, and total_requests is successful + failed.
    /// </summary>
    private static void AttachFailedCount(List<ConcurrencyResult> blocks, int? announced, double failed)
    {
        var index = blocks.FindLastIndex(b => b.Concurrency == announced && !b.DoneLineSeen);
        if (index < 0 || blocks[index].Metrics.ContainsKey("failed_requests")) return;
        var metrics = new Dictionary<string, double>(blocks[index].Metrics) { ["failed_requests"] = failed };
        if (!metrics.ContainsKey("total_requests") && metrics.TryGetValue("successful_requests", out var ok)) metrics["total_requests"] = ok + failed;
        blocks[index] = blocks[index] with { Metrics = metrics };
    }

    /// <summary>A block of a bare log: its concurrency is the client's "Maximum request concurrency", inside the block or printed before it.</summary>
    private static ConcurrencyResult BindBare(ConcurrencyResult block, int? printedBefore, string file, List<string> problems)
    {
        if (block["max_request_concurrency"] is { } inside && inside is >= 1 and <= int.MaxValue) return block with { Concurrency = (int)inside };
        if (printedBefore is { } before) return block with { Concurrency = before };
        problems.Add($"{file}:{block.StartLine}: the client printed no 'Maximum request concurrency' for this block; it is reported as concurrency 0");
        return block;
    }

    /// <summary>A label outside the catalog becomes a snake_case name; a parenthesised unit stays as a suffix ("(RPS)" → "_rps").</summary>
    public static string DerivedName(string label)
    {
        var words = NonWord().Replace(label.TrimEnd(':').Replace("%", " pct", StringComparison.Ordinal).ToLowerInvariant(), "_");
        return words.Trim('_');
    }

    private static bool TryCount(string text, out int value) =>
        int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out value);

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
