using Disagg.Harness.Execution;
using Disagg.Harness.Pipeline;
using Disagg.Harness.Publishing;
using Disagg.Harness.Rendering;
using Disagg.Harness.Tests.Fixtures;

namespace Disagg.Harness.Tests.Pipeline;

/// <summary>The pipeline's paths that never reach the cluster: each still ends in a complete, typed result.</summary>
public sealed class PerfTestPipelineTests
{
    private RunContext _context = null!;

    [SetUp]
    public void CreateContext() => _context = TestConfigs.LocalContext();

    [TearDown]
    public async Task DisposeContext()
    {
        await _context.DisposeAsync();
        Directory.Delete(_context.Settings.ResultsDir, recursive: true);
    }

    private Task<TestRunResult> RunAsync(PipelineServices services, PerfCase perfCase) =>
        new PerfTestPipeline(_context, services).RunAsync(perfCase, line => TestContext.Progress.WriteLine("  " + line), CancellationToken.None);

    [Test]
    public async Task A_case_with_a_list_error_fails_at_settings_with_the_error()
    {
        var result = await RunAsync(PipelineServices.WithoutPublishing(), PerfCase.Failing("x", "l.txt:3: 'x' matches no config"));
        using (Assert.EnterMultipleScope())
        {
            Assert.That(result.Passed, Is.False);
            Assert.That(result.FailedStage?.Stage, Is.EqualTo(PipelineStage.Settings));
            Assert.That(result.Report.Message, Does.Contain("l.txt:3: 'x' matches no config"));
            Assert.That(result.Run.JobId, Is.Null);
        }
    }

    [Test]
    public async Task Invalid_upload_settings_fail_before_anything_is_rendered()
    {
        var env = new Dictionary<string, string> { [PerfDbSettings.EnableVariable] = "maybe" };
        var services = new PipelineServices
        {
            Environment = env,
            History = _ => (null, "none"),
            Publisher = log => ResultPublisher.Create(_context.Settings.ResultsDir, env, TimeProvider.System, log, new HttpClient()),
        };
        var result = await RunAsync(services, PerfCase.Of("upload_maybe", TestConfigs.Smoke("thresholds: []")));
        using (Assert.EnterMultipleScope())
        {
            Assert.That(result.FailedStage?.Stage, Is.EqualTo(PipelineStage.Settings));
            Assert.That(result.Report.Message, Does.Contain("upload configuration is invalid; nothing was submitted").And.Contain("UPLOAD_TO_PERFDB='maybe'"));
            Assert.That(Directory.Exists(Path.Combine(_context.Settings.ResultsDir, "upload_maybe")), Is.False, "nothing was rendered");
        }
    }

    [Test]
    public async Task A_dry_run_renders_into_the_results_folder_and_submits_nothing()
    {
        var services = new PipelineServices { Environment = new Dictionary<string, string>(), History = _ => (null, "none"), DryRun = true };
        var result = await RunAsync(services, PerfCase.Of("dry", TestConfigs.Smoke("thresholds: []")));
        var dir = Path.Combine(_context.Settings.ResultsDir, "dry");
        using (Assert.EnterMultipleScope())
        {
            Assert.That(result.Passed, Is.True);
            Assert.That(result.Stages.Select(s => (s.Stage, s.Status)),
                Is.EqualTo(new[] { (PipelineStage.Render, StageStatus.Done), (PipelineStage.Submit, StageStatus.Skipped) }));
            Assert.That(File.Exists(Path.Combine(dir, JobFiles.BatchScript)), Is.True);
            Assert.That(result.LogLines, Has.Some.Contains("dry run: rendered").And.Contains("nothing was submitted"));
        }
    }
}
