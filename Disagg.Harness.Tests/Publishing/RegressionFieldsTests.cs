using Disagg.Harness.Configuration;
using Disagg.Harness.Publishing;
using Disagg.Harness.Thresholds;

namespace Disagg.Harness.Tests.Publishing;

/// <summary>The regression rule's cases land in the documents of the concurrency they judged, with the pinned fields a post-merge document inherits.</summary>
public sealed class RegressionFieldsTests
{
    [Test]
    public void Each_document_carries_the_regression_case_of_its_own_concurrency_and_inherits_the_pins()
    {
        var now = new DateTimeOffset(2025, 1, 2, 12, 0, 0, TimeSpan.Zero);
        var context = RegressionContextFactory.For(PublishingSamples.TestId, PublishingSamples.Smoke(), PublishingSamples.JenkinsPostMerge, now, "gb200");
        HistoryRecord Past(int c, int daysAgo, double token, double total) =>
            new(now.AddDays(-daysAgo), context.KeyFor(c),
                new Dictionary<string, double> { ["output_token_throughput"] = token, ["total_token_throughput"] = total });
        var history = new List<HistoryRecord>
        {
            Past(4, 3, 1000, 3000), Past(4, 2, 1000, 3000),
            Past(4, 1, 1000, 3000) with
            {
                HasBaselineFields = true,
                Pinned = new Dictionary<string, double> { ["d_baseline_token_throughput"] = 1000.0, ["d_threshold_post_merge_token_throughput"] = 0.02 },
            },
            Past(1, 2, 150, 790), Past(1, 1, 150, 790),
        };
        var sample = PublishingSamples.Result();
        var verdict = RegressionRule.Judge(sample.Benchmark!.Blocks, history, RegressionSettings.Default, context);
        var judged = sample with { Regression = verdict.Findings, RegressionCases = verdict.Cases };
        var record = PublishRecordFactory.Create(judged, PublishingSamples.Smoke(), "run-1", PublishingSamples.JenkinsPostMerge);
        var docs = OpenSearchDocumentBuilder.Build(record).ToDictionary(d => (long)d["l_concurrency"]!);
        var c4 = docs[4];
        var c1 = docs[1];
        using (Assert.EnterMultipleScope())
        {
            Assert.That((bool)c4["b_is_regression"]!, Is.True);
            Assert.That((string)c4["s_regression_info"]!, Is.EqualTo(
                "Regression in e2e-smoke-con4_iter4_isl128_osl32:\n" +
                "  d_token_throughput: value=560.0000 baseline=1000.0000 threshold=2.00% diff=-44.00%\n" +
                "  d_total_token_throughput: value=2801.7500 baseline=3000.0000 threshold=5.00% diff=-6.61%"));
            Assert.That((double)c4["d_baseline_token_throughput"]!, Is.EqualTo(1000.0), "inherited from the newest record that pins it");
            Assert.That((double)c4["d_threshold_post_merge_token_throughput"]!, Is.EqualTo(0.02));
            Assert.That((double)c4["d_threshold_pre_merge_token_throughput"]!, Is.EqualTo(0.10));
            Assert.That(c4.ContainsKey("d_baseline_total_token_throughput"), Is.False, "a computed baseline is never written as a pinned one");
            Assert.That((bool)c1["b_is_regression"]!, Is.False);
            Assert.That((string)c1["s_regression_info"]!,
                Does.StartWith("Regression in e2e-smoke-con1_iter4_isl128_osl32:\n  d_token_throughput: value=160.0000 baseline=150.0000"));
            Assert.That(c1.ContainsKey("d_baseline_token_throughput"), Is.False, "no record of concurrency 1 pins a baseline");
            Assert.That((double)c1["d_threshold_post_merge_token_throughput"]!, Is.EqualTo(0.05));
            Assert.That(DocumentTypeCheck.Check(DocumentJson.Serialize(OpenSearchDocumentBuilder.Build(record))), Is.Empty,
                "the regression fields pass the type check");
        }
    }

    [Test]
    public void A_pre_merge_document_carries_the_verdict_but_pins_nothing()
    {
        var record = PublishingSamples.Record(PublishingSamples.JenkinsPreMerge) with { RegressionCases = PublishingSamples.NoHistory() };
        var doc = OpenSearchDocumentBuilder.Build(record)[0];
        using (Assert.EnterMultipleScope())
        {
            Assert.That((string)doc["s_regression_info"]!, Is.Empty);
            Assert.That((bool)doc["b_is_regression"]!, Is.False);
            var pins = doc.Select(p => p.Key)
                .Where(k => k.StartsWith("d_baseline_", StringComparison.Ordinal) || k.StartsWith("d_threshold_", StringComparison.Ordinal));
            Assert.That(pins, Is.Empty);
        }
    }
}
