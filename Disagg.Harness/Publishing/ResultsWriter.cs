using System.Globalization;
using System.Text.Json;
using Disagg.Harness.Configuration;
using Disagg.Harness.Execution;
using Disagg.Harness.Thresholds;

namespace Disagg.Harness.Publishing;

/// <summary>Writes one <c>results.json</c> per test into its workspace: the neutral record uploads and reports start from.</summary>
public static class ResultsWriter
{
    public const string FileName = "results.json";

    private static readonly JsonSerializerOptions Options = new() { WriteIndented = true };

    public static string Write(JudgedRun result) => Write(result, null);

    /// <summary>
    /// With the config, also <c>metadata: {model_name, precision}</c> for the HTML report. <c>baselines</c> is
    /// <c>{metric: {concurrency: value}}</c> of the regression rule (the report's optional baselines).
    /// </summary>
    public static string Write(JudgedRun result, DisaggConfig? config)
    {
        var document = new
        {
            test_id = result.TestId,
            passed = result.Passed,
            job_id = result.JobId,
            job_state = result.Outcome?.State,
            exit_code = result.Outcome?.ExitCode,
            nodes = result.Outcome?.Nodes,
            duration_s = Math.Round(result.Duration.TotalSeconds, 1),
            problems = result.Problems,
            cluster = result.Cluster,
            failure_class = result.Failure?.ClassName,
            failure_cause = result.Failure?.Cause,
            failure_nodes = result.Failure?.Nodes,
            attempts = result.AttemptNote,
            earlier_attempts = result.EarlierAttempts,
            avoided_nodes = result.AvoidedNodes,
            stale_waiver = result.StaleWaiver,
            concurrencies = result.Benchmark?.Blocks.Select(b => new
            {
                concurrency = b.Concurrency, prompts = b.Prompts, metrics = b.Metrics,
                samples = result.Benchmark.Repeats.Any(r => r.Concurrency == b.Concurrency)
                    ? result.Benchmark.SamplesOf(b.Concurrency).Select(s => new { sample_index = s.SampleIndex, metrics = s.Metrics })
                    : null,
            }),
            confirmation = Confirmation(result.Phases),
            warmup = result.Benchmark?.Warmup?.Metrics,
            verdicts = result.Verdicts.Select(v => new
            {
                rule = v.Rule.ToString(), source = v.Rule.Source, concurrency = v.Concurrency, value = v.Value, passed = v.Passed,
            }),
            phases = result.Phases.Select(p => new { at = p.At, phase = p.Phase }),
            metadata = config is null ? null : new { model_name = config.Metadata.ModelName, precision = config.Metadata.Precision },
            regression = result.Regression.Select(f => new
            {
                metric = f.Metric, concurrency = f.Concurrency, value = f.Value, baseline = f.Baseline, tolerance = f.Tolerance, limit = f.Limit,
                diff_percent = f.DiffPercent, regressed = f.Regressed, severity = f.Severity.ToString().ToLowerInvariant(), note = f.Note,
            }),
            baselines = Baselines(result.Regression),
            accuracy = result.Accuracy.Select(a => new
            {
                dataset = a.Dataset.DatasetName, filter = a.Dataset.FilterName, actual_percent = a.ActualPercent, expected_percent = a.ExpectedPercent,
                threshold_percent = a.ThresholdPercent, passed = a.Passed, message = a.Message,
            }),
            step_times = result.StepTimes?.Metrics,
            warnings = result.Warnings.Concat(result.Regression.Where(f => f.Severity == FindingSeverity.Warning).Select(f => f.Describe())),
        };
        var path = Path.Combine(result.Workspace, FileName);
        File.WriteAllText(path, JsonSerializer.Serialize(document, Options));
        return path;
    }

    /// <summary>
    /// The in-allocation confirmation's cost from the job's phases: repeats run, their seconds, and the planned benchmark's seconds
    /// (first "concurrency C started" to "planned concurrencies done"); null when the job ran no repeat.
    /// </summary>
    public static object? Confirmation(IReadOnlyList<PhaseEvent> phases)
    {
        var started = phases.Where(p => p.Phase.Contains(" repeat ", StringComparison.Ordinal) && p.Phase.EndsWith(" started", StringComparison.Ordinal))
            .ToList();
        if (started.Count == 0) return null;
        var extra = 0.0;
        foreach (var s in started)
        {
            var done = phases.FirstOrDefault(p => p.At >= s.At && p.Phase == s.Phase[..^"started".Length] + "done");
            if (done is not null) extra += (done.At - s.At).TotalSeconds;
        }
        var first = phases.FirstOrDefault(p => p.Phase.StartsWith("concurrency ", StringComparison.Ordinal)
            && p.Phase.EndsWith(" started", StringComparison.Ordinal));
        var planned = phases.FirstOrDefault(p => p.Phase == "planned concurrencies done");
        return new
        {
            repeats = started.Count,
            extra_s = Math.Round(extra, 2),
            planned_s = first is not null && planned is not null ? Math.Round((planned.At - first.At).TotalSeconds, 2) : (double?)null,
        };
    }

    private static Dictionary<string, Dictionary<string, double>> Baselines(IReadOnlyList<RegressionFinding> findings) =>
        findings.Where(f => f.Baseline is not null)
            .GroupBy(f => f.Metric)
            .ToDictionary(g => g.Key, g => g.ToDictionary(f => f.Concurrency.ToString(CultureInfo.InvariantCulture), f => f.Baseline!.Value));
}
