using System.Diagnostics;
using Disagg.Harness.Cluster;
using Disagg.Harness.Configuration;
using Disagg.Harness.Rendering;
using Disagg.Harness.Tests.Fixtures;

namespace Disagg.Harness.Tests.Rendering;

/// <summary>The benchmark driver's in-allocation confirmation loop (issue 17): rendered only for the noise-aware rule, valid bash.</summary>
public sealed class BenchmarkScriptTests
{
    private static ClusterProfile LocalProfile() =>
        ClusterProfileLoader.Load(Path.Combine(FixturePaths.RepoRoot, "clusters", "local.yaml"), "/repo");

    private static string Driver(string regression) =>
        BenchmarkScript.Render(TestConfigs.Smoke("thresholds: []\n" + regression), LocalProfile(), new RenderContext("t", "/results/run/t", "c.yaml"));

    [Test]
    public void The_fixed_rule_renders_the_driver_as_before()
    {
        var driver = Driver("");
        Assert.That(driver, Does.Not.Contain("confirm"));
        Assert.That(Driver("regression:\n  rule: noise_aware\n  confirm_runs: 0\n"), Does.Not.Contain("CONFIRM_DIR"), "no budget, no loop");
    }

    [Test]
    public void The_noise_aware_rule_reads_requests_after_the_planned_list_and_marks_repeats()
    {
        var driver = Driver("regression:\n  gating_metrics: [median_tpot_ms]\n");
        var planned = driver.IndexOf("for value in 1 4; do", StringComparison.Ordinal);
        var loop = driver.IndexOf("CONFIRM_DIR=\"$WORKSPACE/confirm\"", StringComparison.Ordinal);
        Assert.That(planned, Is.GreaterThan(0));
        Assert.That(loop, Is.GreaterThan(planned), "the confirmation loop follows the planned list");
        Assert.That(driver[loop..], Does.Contain("phase \"planned concurrencies done\"")
            .And.Contain("Benchmarking with concurrency ${concurrency} ... ${num_prompts} prompts (repeat ${repeat})")
            .And.Contain("Benchmark with concurrency ${concurrency} done (repeat ${repeat})")
            .And.Contain("result_dir=\"$WORKSPACE/concurrency_${concurrency}/repeat_${repeat}\"")
            .And.Contain($"-lt {BenchmarkScript.ConfirmWaitSeconds(LocalProfile())} ]"));
    }

    [Test]
    public void The_rendered_driver_is_valid_bash()
    {
        var path = Path.Combine(Path.GetTempPath(), $"driver-{Guid.NewGuid():N}.sh");
        File.WriteAllText(path, Driver("regression:\n  enabled: true\n"));
        using var bash = Process.Start(new ProcessStartInfo("bash", ["-n", path]) { RedirectStandardError = true })!;
        var error = bash.StandardError.ReadToEnd();
        bash.WaitForExit();
        File.Delete(path);
        Assert.That(bash.ExitCode, Is.Zero, error);
    }
}
