using Disagg.Harness.Configuration;
using Disagg.Harness.Results;

namespace Disagg.Harness.Thresholds;

/// <summary>Everything a re-evaluation found in one job folder.</summary>
public sealed record Reevaluation(
    string JobDir,
    BenchmarkLog Log,
    IReadOnlyList<string> Problems,
    IReadOnlyList<ConcurrencyResult> Blocks,
    StepTimeSummary? StepTimes,
    IReadOnlyList<ThresholdVerdict> Verdicts,
    IReadOnlyList<RegressionFinding> Regression,
    PerfReport Report)
{
    public bool Passed => Report.Passed;
}

/// <summary>
/// Re-runs parsing, completeness, the result.json cross-check, gen step times and the thresholds on an
/// existing job folder, without a cluster (issue 6 "Re-evaluate"): users tune thresholds on past runs.
/// Layout: <c>benchmark.log</c> (or the reference's <c>6_bench.log</c>), <c>concurrency_N/result.json</c>,
/// <c>gen_server_N.log</c>.
/// </summary>
public static class JobReevaluator
{
    public static readonly IReadOnlyList<string> LogNames = ["benchmark.log", "6_bench.log"];

    public static Reevaluation Reevaluate(string jobDir, DisaggConfig config) =>
        Combine(jobDir, config, Read(jobDir, config), []);

    /// <summary>Also applies the baseline regression rule with history from <paramref name="history"/>.</summary>
    public static async Task<Reevaluation> ReevaluateAsync(string jobDir, DisaggConfig config, RegressionSettings settings, IHistorySource history,
        RegressionContext context, CancellationToken cancellationToken)
    {
        var read = Read(jobDir, config);
        var findings = await RegressionRule.EvaluateAsync(read.Blocks, history, settings, context, cancellationToken).ConfigureAwait(false);
        return Combine(jobDir, config, read, findings);
    }

    private sealed record JobRead(BenchmarkLog Log, List<string> Problems, IReadOnlyList<ConcurrencyResult> Blocks, StepTimeSummary? StepTimes);

    private static JobRead Read(string jobDir, DisaggConfig config)
    {
        if (!Directory.Exists(jobDir))
            throw new DirectoryNotFoundException($"job folder {jobDir} does not exist; pass the workspace of a past run (the folder holding benchmark.log)");
        var logPath = LogNames.Select(n => Path.Combine(jobDir, n)).FirstOrDefault(File.Exists)
            ?? throw new FileNotFoundException($"no {string.Join(" or ", LogNames)} in {jobDir}; is this a job workspace of a run with enable_benchmark: true?");
        var log = BenchmarkLogParser.Parse(File.ReadAllText(logPath), logPath);
        var expected = config.Benchmark.ConcurrencyList.Select(c => c * config.Hardware.NumGenServers).ToList();
        var problems = ResultCompleteness.Check(log, expected, config.Benchmark.MultiRound).ToList();

        var json = expected.Concat(log.Blocks.Select(b => b.Concurrency)).Distinct()
            .Select(c => (c, path: Path.Combine(jobDir, $"concurrency_{c}", "result.json")))
            .Where(p => File.Exists(p.path))
            .ToDictionary(p => p.c, p => File.ReadAllText(p.path));
        problems.AddRange(ResultJsonCrossCheck.Check(log, json, c => Path.Combine(jobDir, $"concurrency_{c}", "result.json")));

        var genLogs = Enumerable.Range(0, config.Hardware.NumGenServers)
            .Select(i => Path.Combine(jobDir, $"gen_server_{i}.log"))
            .Where(File.Exists)
            .Select(p => (p, File.ReadAllText(p)))
            .ToList();
        var steps = GenStepTimes.Summarize(genLogs);
        var blocks = WithStepTimes(log.Blocks, steps, config.Benchmark.Mode, problems);
        return new JobRead(log, problems, blocks, steps);
    }

    /// <summary>
    /// Step times cover the whole job: they are attached to the block only when one concurrency ran, so a
    /// threshold or gate on them is never judged against another concurrency's iterations.
    /// </summary>
    internal static IReadOnlyList<ConcurrencyResult> WithStepTimes(IReadOnlyList<ConcurrencyResult> blocks, StepTimeSummary? steps, BenchmarkMode mode, List<string> problems)
    {
        if (mode == BenchmarkMode.E2E) return blocks;
        if (steps is null)
        {
            problems.Add("gen_only: no generation-only iteration lines with prev_device_step_time in gen_server_*.log; enable print_iter_log in worker_config.gen to get step-time metrics");
            return blocks;
        }
        if (blocks.Count != 1) return blocks;
        var merged = new Dictionary<string, double>(blocks[0].Metrics, StringComparer.Ordinal);
        foreach (var (name, value) in steps.Metrics) merged[name] = value;
        return [blocks[0] with { Metrics = merged }];
    }

    private static Reevaluation Combine(string jobDir, DisaggConfig config, JobRead read, IReadOnlyList<RegressionFinding> findings)
    {
        var verdicts = ThresholdEvaluator.Evaluate(config.Thresholds, read.Blocks);
        var report = VerdictReport.Build(Path.GetFileName(Path.TrimEndingDirectorySeparator(jobDir)), verdicts, findings, read.Problems);
        return new Reevaluation(jobDir, read.Log, read.Problems, read.Blocks, read.StepTimes, verdicts, findings, report);
    }
}
