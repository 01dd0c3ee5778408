using System.Diagnostics;
using Disagg.Harness.Thresholds;

namespace Disagg.Harness.Pipeline;

/// <summary>Times each stage and records its <see cref="StageResult"/>; a stage that throws is recorded as failed and the exception goes on.</summary>
internal sealed class StageRecorder
{
    private readonly List<StageResult> _results = [];

    public PipelineStage Current { get; private set; } = PipelineStage.Settings;

    /// <summary>The submission the stages recorded from now on belong to.</summary>
    public int Attempt { get; set; } = 1;

    public IReadOnlyList<StageResult> Results => [.. _results];

    public async Task<T> TimeAsync<T>(PipelineStage stage, Func<Task<T>> run, Func<T, (StageStatus Status, string Detail)> describe)
    {
        Current = stage;
        var clock = Stopwatch.StartNew();
        try
        {
            var value = await run().ConfigureAwait(false);
            var (status, detail) = describe(value);
            _results.Add(new StageResult(stage, status, clock.Elapsed, detail) { Attempt = Attempt });
            return value;
        }
        catch (Exception e)
        {
            _results.Add(new StageResult(stage, StageStatus.Failed, clock.Elapsed, $"{e.GetType().Name}: {e.Message}") { Attempt = Attempt });
            throw;
        }
    }

    public void Skip(PipelineStage stage, string why) => _results.Add(new StageResult(stage, StageStatus.Skipped, TimeSpan.Zero, why) { Attempt = Attempt });

    public JudgedRun Fail(PipelineStage stage, JudgedRun run)
    {
        _results.Add(new StageResult(stage, StageStatus.Failed, TimeSpan.Zero, run.Problems.FirstOrDefault() ?? "failed"));
        return run;
    }
}
