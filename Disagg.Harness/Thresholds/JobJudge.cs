using Disagg.Harness.Configuration;
using Disagg.Harness.Results;

namespace Disagg.Harness.Thresholds;

/// <summary>
/// The one judge of a collected job, for live runs and <c>disagg reevaluate</c> alike: completeness (of a completed
/// job), the <c>concurrency_N/result.json</c> cross-check, gen_only step times, the <c>thresholds:</c> bounds, the
/// baseline regression rule with history from an <see cref="IHistorySource"/>, and the lm_eval hypothesis tests.
/// Pure apart from the history read.
/// </summary>
public static class JobJudge
{
    public const string NoHistory = "no history source (set DISAGG_PERFDB_CONNECTION, OPEN_SEARCH_DB_BASE_URL or DISAGG_HISTORY_FILE)";

    public static async Task<Judgement> JudgeAsync(DisaggConfig config, CollectedJob job, IHistorySource? history, RegressionContext context,
        CancellationToken cancellationToken)
    {
        var problems = new List<string>();
        var warnings = new List<string>();
        IReadOnlyList<ConcurrencyResult> blocks = [];
        IReadOnlyList<ConcurrencyResult> repeats = [];
        StepTimeSummary? steps = null;
        IReadOnlyList<ThresholdVerdict> verdicts = [];
        var regression = RegressionVerdict.None;
        if (job.Benchmark is { } log)
        {
            if (job.Completed) problems.AddRange(ResultCompleteness.Check(log, job.ExpectedConcurrencies, job.MultiRound));
            problems.AddRange(ResultJsonCrossCheck.Check(log, job.Outputs.ResultJson, job.Outputs.ResultJsonPath));
            steps = config.Benchmark.Mode == BenchmarkMode.E2E ? null : GenStepTimes.Summarize(job.Outputs.GenLogs);
            blocks = WithStepTimes(log.Blocks, steps, config.Benchmark.Mode, warnings);
            repeats = log.Repeats;
            verdicts = ThresholdEvaluator.Evaluate(config.Thresholds, MeanOfSamples(blocks, repeats));
            if (config.Regression.Enabled && blocks.Count > 0)
            {
                if (history is null) warnings.Add("regression check skipped: " + NoHistory);
                else regression = await RegressionRule.EvaluateAsync(blocks, history, config.Regression, context, cancellationToken, repeats)
                    .ConfigureAwait(false);
            }
        }
        var accuracy = Accuracy(config, job.Outputs.AccuracyLogs, problems, warnings);
        return new Judgement(problems, warnings, blocks, steps, verdicts, regression.Findings, accuracy)
        {
            RegressionCases = regression.Cases,
            Repeats = repeats,
        };
    }

    /// <summary>
    /// The blocks the <c>thresholds:</c> bounds judge: a concurrency with confirmation repeats is judged on the mean of its samples
    /// (each metric over the samples that have it); one without repeats on its block as it is.
    /// </summary>
    public static IReadOnlyList<ConcurrencyResult> MeanOfSamples(IReadOnlyList<ConcurrencyResult> blocks, IReadOnlyList<ConcurrencyResult> repeats)
    {
        if (repeats.Count == 0) return blocks;
        return [.. blocks.Select(b =>
        {
            var samples = repeats.Where(r => r.Concurrency == b.Concurrency).Prepend(b).ToList();
            if (samples.Count == 1) return b;
            var metrics = b.Metrics.ToDictionary(kv => kv.Key,
                kv => samples.Select(s => s[kv.Key]).OfType<double>().DefaultIfEmpty(kv.Value).Average(), StringComparer.Ordinal);
            return b with { Metrics = metrics };
        })];
    }

    /// <summary>
    /// Step times cover the whole job: they are attached to the block only when one concurrency ran, so a
    /// threshold or gate on them is never judged against another concurrency's iterations. Missing step times are a
    /// warning: a threshold that names them fails on its own as a missing metric.
    /// </summary>
    internal static IReadOnlyList<ConcurrencyResult> WithStepTimes(IReadOnlyList<ConcurrencyResult> blocks, StepTimeSummary? steps, BenchmarkMode mode,
        List<string> warnings)
    {
        if (mode == BenchmarkMode.E2E) return blocks;
        if (steps is null)
        {
            warnings.Add("gen_only: no generation-only iteration lines with prev_device_step_time in gen_server_*.log; "
                         + "enable print_iter_log in worker_config.gen to get step-time metrics");
            return blocks;
        }
        if (blocks.Count != 1) return blocks;
        var merged = new Dictionary<string, double>(blocks[0].Metrics, StringComparer.Ordinal);
        foreach (var (name, value) in steps.Metrics) merged[name] = value;
        return [blocks[0] with { Metrics = merged }];
    }

    /// <summary>
    /// One hypothesis test per <c>metadata.accuracy.datasets</c> entry, on the task log that has a row for the
    /// dataset (else the log of the task named like it, else the first log). A missing log is a problem.
    /// </summary>
    public static IReadOnlyList<AccuracyVerdict> Accuracy(DisaggConfig config, IReadOnlyList<(string Task, string File, string? Text)> logs,
        List<string> problems, List<string> warnings)
    {
        if (!config.Accuracy.Enabled || logs.Count == 0) return [];
        foreach (var (task, file, _) in logs.Where(l => l.Text is null))
            problems.Add($"accuracy: {file} is missing; the lm_eval step of task '{task}' did not run or wrote no log");
        var read = logs.Where(l => l.Text is not null).Select(l => (l.Task, l.File, Rows: LmEvalTable.Parse(l.Text!))).ToList();
        var datasets = config.Metadata.AccuracyThresholds.Datasets;
        if (read.Count == 0) return [];
        if (datasets.Count == 0)
        {
            warnings.Add($"accuracy ran ({string.Join(", ", read.Select(r => Path.GetFileName(r.File)))}) but metadata.accuracy.datasets is empty; "
                         + "nothing was judged");
            return [];
        }
        return datasets.Select(d =>
        {
            var log = read.FirstOrDefault(r => r.Rows.Any(row => row.Task == d.DatasetName));
            if (log.File is null) log = read.FirstOrDefault(r => r.Task == d.DatasetName);
            if (log.File is null) log = read[0];
            return AccuracyCheck.Evaluate(d, log.Rows, Path.GetFileName(log.File));
        }).ToList();
    }
}
