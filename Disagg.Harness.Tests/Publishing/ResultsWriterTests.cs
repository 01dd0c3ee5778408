using System.Text.Json;
using Disagg.Harness.Publishing;
using Disagg.Harness.Reporting;
using Disagg.Harness.Thresholds;

namespace Disagg.Harness.Tests.Publishing;

/// <summary>results.json carries the regression findings, warnings, accuracy, metadata and baselines the HTML report reads.</summary>
public sealed class ResultsWriterTests
{
    [Test]
    public void Findings_warnings_metadata_and_baselines_are_written_and_the_report_reads_them()
    {
        var results = Directory.CreateTempSubdirectory("disagg-results-").FullName;
        try
        {
            var workspace = Path.Combine(results, PublishingSamples.TestId);
            Directory.CreateDirectory(workspace);
            var sample = PublishingSamples.Result();
            RegressionFinding Finding(int c, double baseline, FindingSeverity severity) =>
                new("output_token_throughput", c, 100, baseline, 0.05, -20, severity != FindingSeverity.Pass, severity,
                    severity == FindingSeverity.Pass ? "" : "regression (post-merge: warns; triaged later)");
            var result = sample with { Workspace = workspace }
                with
                {
                    Regression = [Finding(1, 125, FindingSeverity.Warning), Finding(4, 90, FindingSeverity.Pass)],
                    Warnings = ["regression check skipped: nothing"]
                };

            var path = ResultsWriter.Write(result, PublishingSamples.Smoke());

            using var json = JsonDocument.Parse(File.ReadAllText(path));
            var root = json.RootElement;
            using (Assert.EnterMultipleScope())
            {
                Assert.That(root.GetProperty("passed").GetBoolean(), Is.True, "a post-merge regression warns");
                Assert.That(root.GetProperty("metadata").GetProperty("model_name").GetString(), Is.EqualTo("sim-tiny"));
                Assert.That(root.GetProperty("regression").GetArrayLength(), Is.EqualTo(2));
                Assert.That(root.GetProperty("regression")[0].GetProperty("severity").GetString(), Is.EqualTo("warning"));
                Assert.That(root.GetProperty("warnings").EnumerateArray().Select(w => w.GetString()), Is.EqualTo(new[]
                {
                    "regression check skipped: nothing",
                    "output_token_throughput at concurrency 1: value=100 baseline=125 tolerance=5% (needs >= 118.75) diff=-20.00%; "
                        + "regression (post-merge: warns; triaged later)",
                }));
                var test = ReportReader.Read(results).Tests.Single();
                Assert.That((test.ModelName, test.Precision), Is.EqualTo(("sim-tiny", "fp16")));
                Assert.That(test.Baselines["output_token_throughput"].At(1), Is.EqualTo(125));
                Assert.That(test.Baselines["output_token_throughput"].At(4), Is.EqualTo(90));
            }
        }
        finally
        {
            Directory.Delete(results, true);
        }
    }
}
