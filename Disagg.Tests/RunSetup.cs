using Disagg.Harness.Execution;
using Disagg.Harness.Pipeline;
using Disagg.Harness.Reporting;

namespace Disagg.Tests;

/// <summary>Builds the run's shared services once, before the first perf test, and releases them after the last.</summary>
[SetUpFixture]
public sealed class RunSetup
{
    private static RunContext? _context;
    private static PerfTestPipeline? _pipeline;
    private static RunProgress? _progress;

    public static PerfTestPipeline Pipeline => _pipeline ?? throw new InvalidOperationException("RunSetup has not run");

    /// <summary>The overall progress line (done, failed, running, queued, elapsed), every DISAGG_PROGRESS_INTERVAL_S (60) and at each change.</summary>
    public static RunProgress Progress => _progress ?? throw new InvalidOperationException("RunSetup has not run");

    [OneTimeSetUp]
    public void Start()
    {
        var settings = RunSettings.Resolve(name => TestContext.Parameters.Get(name));
        _context = RunContext.Create(settings, line => TestContext.Progress.WriteLine($"[disagg] {line}"));
        _pipeline = new PerfTestPipeline(_context, PipelineServices.FromEnvironment(settings.ResultsDir));
        TestContext.Progress.WriteLine($"[disagg] results: {settings.ResultsDir}; cluster profile: {settings.ClusterProfile}; test list: {settings.TestList}");
        var cases = PerfCaseSource.Cases().ToList();
        var interval = double.TryParse(Environment.GetEnvironmentVariable("DISAGG_PROGRESS_INTERVAL_S"), System.Globalization.CultureInfo.InvariantCulture,
            out var s) && s > 0 ? TimeSpan.FromSeconds(s) : TimeSpan.FromMinutes(1);
        _progress = new RunProgress(cases.Count, TimeProvider.System, interval, line => TestContext.Progress.WriteLine(line));
        // Ignored cases (waivers, the GPU filter) never enter Run: they are done from the start.
        foreach (var c in cases.Where(c => c.RunState == NUnit.Framework.Interfaces.RunState.Ignored))
            _progress.Finished(((PerfCase)c.Arguments[0]!).TestId, RunProgress.Outcome.Skipped);
    }

    [OneTimeTearDown]
    public async Task Stop()
    {
        _progress?.Complete();
        _progress?.Dispose();
        if (_context is null) return;
        // A test that was stopped half-way may leave its job behind: sweep the run before leaving.
        var leftovers = await _context.CancelAllAsync(CancellationToken.None);
        if (leftovers.Count > 0) TestContext.Progress.WriteLine($"[disagg] cancelled leftover jobs: {string.Join(", ", leftovers)}");
        await _context.DisposeAsync();
    }
}
