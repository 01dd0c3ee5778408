using System.Text;
using Disagg.Harness.Cluster;
using Disagg.Harness.Configuration;
using Disagg.Harness.Publishing;
using Disagg.Harness.Rendering;
using Disagg.Harness.Results;
using Disagg.Harness.Thresholds;

namespace Disagg.Harness.Execution;

/// <summary>The files of a finished job the judge reads, already fetched (text by name; null when absent).</summary>
public sealed record JobOutputs(
    IReadOnlyDictionary<int, string> ResultJson,
    Func<int, string> ResultJsonPath,
    IReadOnlyList<(string File, string Text)> GenLogs,
    IReadOnlyList<(string Task, string File, string? Text)> AccuracyLogs);

/// <summary>What the judge found beyond completeness: problems fail the test, warnings do not.</summary>
public sealed record Judgement(
    IReadOnlyList<string> Problems,
    IReadOnlyList<string> Warnings,
    IReadOnlyList<ConcurrencyResult> Blocks,
    StepTimeSummary? StepTimes,
    IReadOnlyList<ThresholdVerdict> Verdicts,
    IReadOnlyList<RegressionFinding> Regression,
    IReadOnlyList<AccuracyVerdict> Accuracy);

/// <summary>
/// Judges a finished job after completeness (issue 6): the <c>concurrency_N/result.json</c> cross-check,
/// gen_only step times from the gen server logs, the <c>thresholds:</c> bounds, the baseline regression
/// rule with history from an <see cref="IHistorySource"/>, and the lm_eval hypothesis tests.
/// <see cref="JudgeAsync"/> is pure apart from the history read; <see cref="ReadAsync"/> fetches the files.
/// </summary>
public static class ResultJudge
{
    /// <summary>Reads the outputs the judge needs from a job workspace through the cluster's file access (accuracy logs only of a completed job).</summary>
    public static async Task<JobOutputs> ReadAsync(IClusterFiles files, string workspace, DisaggConfig config, BenchmarkLog? log,
        IReadOnlyList<int> expected, bool jobCompleted, CancellationToken cancellationToken)
    {
        async Task<string?> Text(string path) =>
            await files.ExistsAsync(path, cancellationToken).ConfigureAwait(false)
                ? Encoding.UTF8.GetString(await files.ReadFromAsync(path, 0, cancellationToken).ConfigureAwait(false))
                : null;
        string JsonPath(int c) => Path.Combine(workspace, JobFiles.ConcurrencyDir(c), JobFiles.ResultJson);

        var json = new Dictionary<int, string>();
        if (log is not null)
            foreach (var c in expected.Concat(log.Blocks.Select(b => b.Concurrency)).Distinct())
                if (await Text(JsonPath(c)).ConfigureAwait(false) is { } t) json[c] = t;
        var gen = new List<(string, string)>();
        if (config.Benchmark.Mode != BenchmarkMode.E2E)
            for (var i = 0; i < config.Hardware.NumGenServers; i++)
            {
                var path = Path.Combine(workspace, JobFiles.WorkerLog("gen", i));
                if (await Text(path).ConfigureAwait(false) is { } t) gen.Add((path, t));
            }
        var accuracy = new List<(string, string, string?)>();
        if (config.Accuracy.Enabled && jobCompleted) // a failed job already says why; no "log missing" noise
            foreach (var task in config.Accuracy.Tasks)
            {
                var path = Path.Combine(workspace, JobFiles.AccuracyLog(task.Name));
                accuracy.Add((task.Name, path, await Text(path).ConfigureAwait(false)));
            }
        return new JobOutputs(json, JsonPath, gen, accuracy);
    }

    public static async Task<Judgement> JudgeAsync(DisaggConfig config, BenchmarkLog? log, JobOutputs outputs, IHistorySource? history,
        RegressionContext context, CancellationToken cancellationToken)
    {
        var problems = new List<string>();
        var warnings = new List<string>();
        IReadOnlyList<ConcurrencyResult> blocks = [];
        StepTimeSummary? steps = null;
        IReadOnlyList<ThresholdVerdict> verdicts = [];
        IReadOnlyList<RegressionFinding> findings = [];
        if (log is not null)
        {
            problems.AddRange(ResultJsonCrossCheck.Check(log, outputs.ResultJson, outputs.ResultJsonPath));
            steps = config.Benchmark.Mode == BenchmarkMode.E2E ? null : GenStepTimes.Summarize(outputs.GenLogs);
            blocks = JobReevaluator.WithStepTimes(log.Blocks, steps, config.Benchmark.Mode, warnings);
            verdicts = ThresholdEvaluator.Evaluate(config.Thresholds, blocks);
            if (config.Regression.Enabled && blocks.Count > 0)
            {
                if (history is null) warnings.Add("regression check skipped: " + HistorySources.NoneConfigured);
                else findings = await RegressionRule.EvaluateAsync(blocks, history, config.Regression, context, cancellationToken).ConfigureAwait(false);
            }
        }
        var accuracy = Accuracy(config, outputs.AccuracyLogs, problems, warnings);
        return new Judgement(problems, warnings, blocks, steps, verdicts, findings, accuracy);
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
            warnings.Add($"accuracy ran ({string.Join(", ", read.Select(r => Path.GetFileName(r.File)))}) but metadata.accuracy.datasets is empty; nothing was judged");
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

    /// <summary>
    /// Where the run happens, as the documents say it (<see cref="CiContext"/>): post-merge or pre-merge, and a
    /// FUNCTIONAL-ONLY stage; gen_only and speculative decoding choose the default gating metrics.
    /// </summary>
    public static RegressionContext ContextFor(string testId, DisaggConfig config, IReadOnlyDictionary<string, string> env, DateTimeOffset now)
    {
        var ci = CiContext.From(env);
        return new RegressionContext(testId, now, ci.IsPostMerge ? RunKind.PostMerge : RunKind.PreMerge,
            ci.StageName.Contains("FUNCTIONAL-ONLY", StringComparison.Ordinal), config.Benchmark.Mode != BenchmarkMode.E2E, config.Gen.MtpLayers > 0);
    }
}
