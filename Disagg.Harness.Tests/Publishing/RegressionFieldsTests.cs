using Disagg.Harness.Publishing;
using Disagg.Harness.Thresholds;

namespace Disagg.Harness.Tests.Publishing;

/// <summary>The regression rule's findings land in the documents of the concurrency they judged (results-upload.md §6 G).</summary>
public sealed class RegressionFieldsTests
{
    [Test]
    public void Each_document_carries_the_regression_verdict_of_its_own_concurrency()
    {
        var result = PublishingSamples.Result() with
        {
            Regression =
            [
                new RegressionFinding("output_token_throughput", 4, 700, 1000, 0.05, -30, true, FindingSeverity.Warning, "below baseline"),
                new RegressionFinding("total_token_throughput", 4, 2900, 3000, 0.05, -3.33, false, FindingSeverity.Pass, ""),
                new RegressionFinding("output_token_throughput", 1, 300, 290, 0.05, 3.45, false, FindingSeverity.Pass, ""),
            ],
        };
        var record = PublishRecordFactory.Create(result, PublishingSamples.Smoke(), "run-1", PublishingSamples.JenkinsPostMerge);
        var docs = OpenSearchDocumentBuilder.Build(record).ToDictionary(d => (long)d["l_concurrency"]!);
        var c4 = docs[4];
        var c1 = docs[1];
        using (Assert.EnterMultipleScope())
        {
            Assert.That((bool)c4["b_is_regression"]!, Is.True);
            Assert.That((string)c4["s_regression_info"]!, Does.StartWith("Regression in " + PublishingSamples.TestId)
                .And.Contains("d_token_throughput: value=700.0000 baseline=1000.0000 threshold=5.00% diff=-30.00%")
                .And.Contains("d_total_token_throughput: value=2900.0000 baseline=3000.0000"));
            Assert.That((double)c4["d_baseline_token_throughput"]!, Is.EqualTo(1000.0));
            Assert.That((double)c4["d_threshold_post_merge_token_throughput"]!, Is.EqualTo(0.05));
            Assert.That((double)c4["d_threshold_pre_merge_token_throughput"]!, Is.EqualTo(0.10));
            Assert.That((bool)c1["b_is_regression"]!, Is.False);
            Assert.That((double)c1["d_baseline_token_throughput"]!, Is.EqualTo(290.0));
            Assert.That(DocumentTypeCheck.Check(DocumentJson.Serialize(OpenSearchDocumentBuilder.Build(record))), Is.Empty, "the regression fields pass the type check");
        }
    }
}
