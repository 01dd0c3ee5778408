using Disagg.Harness.Publishing;

namespace Disagg.Harness.Tests.Publishing;

public sealed class PerfDbHistoryColumnsTests
{
    [TestCase("GIT_COMMIT=abc123", "abc123")]                          // the CI's commit
    [TestCase("DISAGG_GIT_COMMIT=def456", "def456")]                   // run_disagg_test.sh's git HEAD, without CI
    [TestCase("GIT_COMMIT=abc123;DISAGG_GIT_COMMIT=def456", "abc123")] // the CI wins
    [TestCase("", "")]
    public void Commit(string env, string expected) => Assert.That(PerfDbHistoryColumns.CommitOf(Env(env)), Is.EqualTo(expected));

    [TestCase("DISAGG_CLUSTER_NAME=lyris;DISAGG_CLUSTER_PROFILE=/repo/clusters/local.yaml", "lyris")]
    [TestCase("DISAGG_CLUSTER_PROFILE=/repo/clusters/local.yaml", "local")]
    [TestCase("", "")]
    public void Cluster(string env, string expected) => Assert.That(PerfDbHistoryColumns.ClusterOf(Env(env)), Is.EqualTo(expected));

    [Test]
    public void The_smoke_record_gives_model_isl_osl_category_and_image()
    {
        var record = PublishingSamples.Record(new Dictionary<string, string> { ["DISAGG_GIT_COMMIT"] = "c0ffee" });
        var columns = PerfDbHistoryColumns.From(record);
        Assert.That((columns.Model, columns.Isl, columns.Osl, columns.Commit), Is.EqualTo(("sim-tiny", 128, 32, "c0ffee")));
        Assert.That(columns.Category, Is.EqualTo(Path.GetFileName(Path.GetDirectoryName(PublishingSamples.Smoke().SourceFile))));
    }

    private static Dictionary<string, string> Env(string pairs) =>
        pairs.Split(';', StringSplitOptions.RemoveEmptyEntries).Select(p => p.Split('=', 2)).ToDictionary(p => p[0], p => p[1]);
}
