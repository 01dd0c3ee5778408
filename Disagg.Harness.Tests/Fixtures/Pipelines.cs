using System.Text.RegularExpressions;
using Disagg.Harness.Configuration;
using Disagg.Harness.Execution;
using Disagg.Harness.Pipeline;
using Disagg.Harness.Publishing;
using Disagg.Harness.Thresholds;

namespace Disagg.Harness.Tests.Fixtures;

/// <summary>Runs one test through the real pipeline on a context, without publishing (unless the test passes services).</summary>
public static partial class Pipelines
{
    public static Task<TestRunResult> RunFullAsync(RunContext context, DisaggConfig config, string id, Action<string> log, CancellationToken token,
        IHistorySource? history = null) =>
        new PerfTestPipeline(context, PipelineServices.WithoutPublishing(history)).RunAsync(PerfCase.Of(id, config), log, token);

    public static async Task<JudgedRun> RunAsync(RunContext context, DisaggConfig config, string id, Action<string> log, CancellationToken token,
        IHistorySource? history = null) =>
        (await RunFullAsync(context, config, id, log, token, history)).Run;

    /// <summary>
    /// The history key a pipeline run of <paramref name="config"/> as <paramref name="id"/> looks up at a concurrency: no
    /// environment, so pre-merge against <c>main</c>, on the GPU type of the local cluster's facts (none: unsupported).
    /// </summary>
    public static CaseKey HistoryKey(DisaggConfig config, string id, int concurrency) =>
        CaseNames.Identity(config, id, GpuTypeResolver.Unsupported, CiContext.DefaultBaselineBranch).KeyFor(concurrency);

    /// <summary>A log sink that also learns the job id from the pipeline's "submitted job N" line, for tests that act on the running job.</summary>
    public sealed class JobIdWatcher(Action<string> inner)
    {
        private readonly TaskCompletionSource<string> _jobId = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public Task<string> JobId => _jobId.Task;

        public void Log(string line)
        {
            inner(line);
            if (Submitted().Match(line) is { Success: true } m) _jobId.TrySetResult(m.Groups[1].Value);
        }
    }

    [GeneratedRegex(@"^submitted job (\d+)")]
    private static partial Regex Submitted();
}
