using Disagg.Harness.Execution;
using Disagg.Harness.Pipeline;

namespace Disagg.Tests;

/// <summary>Builds the run's shared services once, before the first perf test, and releases them after the last.</summary>
[SetUpFixture]
public sealed class RunSetup
{
    private static RunContext? _context;
    private static PerfTestPipeline? _pipeline;

    public static PerfTestPipeline Pipeline => _pipeline ?? throw new InvalidOperationException("RunSetup has not run");

    [OneTimeSetUp]
    public void Start()
    {
        var settings = RunSettings.Resolve(name => TestContext.Parameters.Get(name));
        _context = RunContext.Create(settings, line => TestContext.Progress.WriteLine($"[disagg] {line}"));
        _pipeline = new PerfTestPipeline(_context, PipelineServices.FromEnvironment(settings.ResultsDir));
        TestContext.Progress.WriteLine($"[disagg] results: {settings.ResultsDir}; cluster profile: {settings.ClusterProfile}; test list: {settings.TestList}");
    }

    [OneTimeTearDown]
    public async Task Stop()
    {
        if (_context is null) return;
        // A test that was stopped half-way may leave its job behind: sweep the run before leaving.
        var leftovers = await _context.CancelAllAsync(CancellationToken.None);
        if (leftovers.Count > 0) TestContext.Progress.WriteLine($"[disagg] cancelled leftover jobs: {string.Join(", ", leftovers)}");
        await _context.DisposeAsync();
    }
}
