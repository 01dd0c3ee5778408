using Disagg.Harness.Execution;
using Disagg.Harness.Pipeline;
using Disagg.Harness.Tests.Fixtures;

namespace Disagg.Harness.Tests.Pipeline;

/// <summary>A CI variable that breaks the rule of the config key it replaces ends the test at Settings, before anything is rendered.</summary>
public sealed class OverrideRefusalTests
{
    [Test]
    public async Task A_hostile_override_fails_at_settings_and_renders_nothing()
    {
        await using var context = TestConfigs.LocalContext();
        try
        {
            var services = new PipelineServices
            {
                Environment = new Dictionary<string, string> { ["DISAGG_SLURM_PARTITION"] = "debug;touch pwned" },
                History = _ => (null, "none"),
            };
            var perfCase = PerfCase.Of("override_bad", TestConfigs.Smoke("thresholds: []"));
            var result = await new PerfTestPipeline(context, services)
                .RunAsync(perfCase, line => TestContext.Progress.WriteLine("  " + line), CancellationToken.None);
            using (Assert.EnterMultipleScope())
            {
                Assert.That(result.FailedStage?.Stage, Is.EqualTo(PipelineStage.Settings));
                Assert.That(result.Report.Message, Does.Contain("an environment override is invalid; nothing was submitted")
                    .And.Contain("slurm.partition: environment variable DISAGG_SLURM_PARTITION: 'debug;touch pwned' is not a valid SLURM partition"));
                Assert.That(result.Run.JobId, Is.Null);
                Assert.That(Directory.Exists(Path.Combine(context.Settings.ResultsDir, "override_bad")), Is.False, "nothing was rendered");
            }
        }
        finally
        {
            Directory.Delete(context.Settings.ResultsDir, recursive: true);
        }
    }
}
