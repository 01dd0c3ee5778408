using System.Text.Json;
using Disagg.Harness.Execution;

namespace Disagg.Harness.Publishing;

/// <summary>Writes one <c>results.json</c> per test into its workspace: the neutral record uploads and reports start from.</summary>
public static class ResultsWriter
{
    public const string FileName = "results.json";

    private static readonly JsonSerializerOptions Options = new() { WriteIndented = true };

    public static string Write(TestRunResult result)
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
            concurrencies = result.Benchmark?.Blocks.Select(b => new { concurrency = b.Concurrency, prompts = b.Prompts, metrics = b.Metrics }),
            warmup = result.Benchmark?.Warmup?.Metrics,
            verdicts = result.Verdicts.Select(v => new { rule = v.Rule.ToString(), source = v.Rule.Source, concurrency = v.Concurrency, value = v.Value, passed = v.Passed }),
            phases = result.Phases.Select(p => new { at = p.At, phase = p.Phase }),
        };
        var path = Path.Combine(result.Workspace, FileName);
        File.WriteAllText(path, JsonSerializer.Serialize(document, Options));
        return path;
    }
}
