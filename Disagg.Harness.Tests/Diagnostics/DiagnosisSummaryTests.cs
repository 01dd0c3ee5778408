using Disagg.Harness.Cluster;
using Disagg.Harness.Common;
using Disagg.Harness.Diagnostics;
using Disagg.Harness.Execution;
using Disagg.Harness.Rendering;
using Disagg.Harness.Tests.Fixtures;

namespace Disagg.Harness.Tests.Diagnostics;

public sealed class DiagnosisSummaryTests
{
    private static readonly DateTimeOffset At = new(2026, 3, 4, 5, 6, 7, TimeSpan.Zero);

    private static SummaryInput Crash() => new(
        "disagg_sim-tiny_ctx1_gen1",
        "4242",
        "failure",
        "the runner on login1, because the job ended NODE_FAIL without packaging",
        At,
        new JobOutcome("4242", "NODE_FAIL", "0:9", "0:0", "NodeDown", "node[1-2]", "JobId=4242"),
        ["job 4242 ended NODE_FAIL (exit code 0:9, derived 0:0, reason NodeDown) on node[1-2]", "first error: a\nsecond line"],
        [new PhaseEvent(At, "allocated node1 node2 (job 4242)"), new PhaseEvent(At.AddSeconds(3), "started ctx_server_0")],
        [
            new PackagedLog("ctx_server_0.log", "0: hello\n0: loading\n0: Traceback (most recent call last):\n0:   File \"a.py\", line 1\n"
                + "0:   File \"b.py\", line 2\n0:   File \"c.py\", line 3\n0:   File \"d.py\", line 4\n0:   File \"e.py\", line 5\n"
                + "0:   raise RuntimeError(\"x\")\n0: RuntimeError: Executor worker returned error\n"),
            new PackagedLog("gen_server_0.log", "0: ready\n"),
            new PackagedLog("disagg_server.log", ""),
            new PackagedLog("slurm-4242.err", "Error: ctx_server_0 exited with code 1; see ctx_server_0.log\n"),
        ],
        ["ctx_server_0.log", "gen_server_0.log", "disagg_server.log", "slurm-4242.err", JobFiles.RunnerLog, JobFiles.DiagnosisSummary],
        "/results/run/disagg_sim-tiny_ctx1_gen1");

    [Test]
    public void Summary_matches_golden() =>
        FixturePaths.AssertGolden(DiagnosisSummary.Build(Crash()), "golden", "diagnosis", "summary-node-fail.txt");

    [Test]
    public void First_error_names_the_log_and_the_exception_a_traceback_raised()
    {
        var text = DiagnosisSummary.Build(Crash());
        var section = text[text.IndexOf("== first errors", StringComparison.Ordinal)..].Split('\n');
        using (Assert.EnterMultipleScope())
        {
            Assert.That(section[1], Is.EqualTo("ctx_server_0.log:3: python traceback"));
            Assert.That(text, Does.Contain("    => line 10: 0: RuntimeError: Executor worker returned error"));
            Assert.That(text, Does.Contain("open next:    ctx_server_0.log"));
            Assert.That(text, Does.Contain("final state:  NODE_FAIL (exit code 0:9, derived 0:0, reason NodeDown)"));
        }
    }

    [Test]
    public void A_never_submitted_job_says_so()
    {
        var text = DiagnosisSummary.Build(Crash() with { JobId = null, Outcome = null, Phases = [], Logs = [] });
        Assert.That(text, Does.Contain("job:          none (never submitted)").And.Contain("final state:  never submitted")
            .And.Contain("(no phases recorded)"));
    }

    [Test]
    public void Redaction_replaces_secret_values_and_secret_assignments_only()
    {
        var text = SecretFilter.Redact(
            "export OPEN_SEARCH_DB_CREDENTIALS_PSW='x y'\nmax_num_tokens: 4096\nurl with sekret123 inside\nMY_TOKEN=abc", ["sekret123"]);
        Assert.That(text,
            Is.EqualTo("export OPEN_SEARCH_DB_CREDENTIALS_PSW=<redacted>\nmax_num_tokens: 4096\nurl with <redacted> inside\nMY_TOKEN=<redacted>"));
    }
}
