using Disagg.Harness.Cluster;
using Disagg.Harness.Common;
using Disagg.Harness.Results;
using Disagg.Harness.Thresholds;

namespace Disagg.Harness.Tests.Thresholds;

/// <summary>The class of a failed run from its typed outcome and problem lines: a table of real shapes.</summary>
public sealed class FailureClassifierTests
{
    private static JudgedRun Run(string? state, string nodes, params string[] problems) =>
        new("t", "/w", state is null ? null : "7", state is null ? null : new JobOutcome("7", state, "1:0", "0:0", "None", nodes, ""), null,
            problems, [], [], TimeSpan.Zero);

    [Test]
    public void A_passed_run_has_no_class() => Assert.That(Run("COMPLETED", "node1").Failure, Is.Null);

    [TestCase("NODE_FAIL", "NODE_FAIL")]
    [TestCase("PREEMPTED", "preempted")]
    [TestCase("BOOT_FAIL", "BOOT_FAIL")]
    public void A_lost_node_or_preemption_is_infrastructure_on_every_node_of_the_job(string state, string cause)
    {
        var failure = Run(state, "node[2-3]", "job 7 ended " + state).Failure!;
        Assert.That((failure.Class, failure.Cause, failure.Nodes), Is.EqualTo((FailureClass.Infrastructure, cause, new[] { "node2", "node3" })));
    }

    [Test]
    public void A_transport_line_is_infrastructure_on_the_node_it_names()
    {
        var failure = Run("FAILED", "node[1-2]", "NCCL IB completion error in ctx_server_0.log while the job was running; first error:\n"
            + "ctx_server_0.log:10: x\n    0: node2:1:1 [0] transport/net_ib.cc:1296 NCCL WARN NET/IB : Got completion from peer 10.0.0.2<1> with error 12")
            .Failure!;
        using (Assert.EnterMultipleScope())
        {
            Assert.That((failure.Class, failure.Cause), Is.EqualTo((FailureClass.Infrastructure, "NCCL IB completion error")));
            Assert.That(failure.Nodes, Is.EqualTo(new[] { "node2" }));
            Assert.That(failure.Describe(), Is.EqualTo("infrastructure failure on node2 (NCCL IB completion error)"));
            Assert.That(failure.Evidence, Does.StartWith("node2:1:1 [0] transport/net_ib.cc:1296 NCCL WARN"));
        }
    }

    [Test]
    public void A_line_naming_no_node_implicates_every_node_of_the_job() =>
        Assert.That(Run("FAILED", "node[1-2]", "gpu_xid\n[ 1.0] NVRM: Xid (PCI:0000:3b:00): 79, pid=1").Failure!.Nodes, Is.EqualTo(new[] { "node1", "node2" }));

    [Test]
    public void A_health_timeout_with_a_worker_that_never_began_loading_is_infrastructure_on_its_node()
    {
        var run = Run("FAILED", "node[1-2]", "job 7: disagg server http://node1:8333/health did not answer 200 within 30 s (last status 000)") with
        {
            ServersNeverLoaded = [new ServerStart("gen_server_0.log", "node2", false)],
        };
        var failure = run.Failure!;
        using (Assert.EnterMultipleScope())
        {
            Assert.That((failure.Class, failure.Cause), Is.EqualTo((FailureClass.Infrastructure, FailureClassifier.NeverLoadedCause)));
            Assert.That(failure.Nodes, Is.EqualTo(new[] { "node2" }));
            Assert.That(failure.Evidence, Is.EqualTo("gen_server_0.log on node2 wrote no model-loading line"));
        }
    }

    [Test]
    public void A_health_timeout_after_every_worker_began_loading_stays_product() =>
        Assert.That(Run("FAILED", "node1", "disagg server http://node1:8333/health did not answer 200 within 30 s (last status 503)").Failure!.Class,
            Is.EqualTo(FailureClass.Product), "the model load itself hung or was too slow: the product's problem");

    [Test]
    public void A_worker_that_never_loaded_without_a_health_timeout_is_not_enough() =>
        Assert.That((Run("FAILED", "node1", "output_token_throughput 10 < 90 at c=4") with
            { ServersNeverLoaded = [new ServerStart("ctx_server_0.log", "node1", false)] }).Failure!.Class, Is.EqualTo(FailureClass.Product));

    [Test]
    public void A_server_exception_is_product()
    {
        var failure = Run("FAILED", "node1",
            "python traceback in ctx_server_0.log\nTraceback (most recent call last):\nRuntimeError: Executor worker returned error").Failure!;
        Assert.That((failure.Class, failure.Cause, failure.Nodes), Is.EqualTo((FailureClass.Product, "runtime error", Array.Empty<string>())));
    }

    [Test]
    public void A_rejected_submission_is_configuration() =>
        Assert.That(JudgedRun.Unsubmitted("t", "/w", "submission rejected, no job was started: sbatch: error: invalid partition", TimeSpan.Zero)
            .Failure!.Class, Is.EqualTo(FailureClass.Configuration));

    [Test]
    public void A_run_without_a_job_is_infrastructure_when_an_infrastructure_signature_explains_it() =>
        Assert.That(JudgedRun.Unsubmitted("t", "/w", "submission rejected: srun: error: Unable to create step for job 1: Memory required", TimeSpan.Zero)
            .Failure!.Class, Is.EqualTo(FailureClass.Infrastructure));
}
