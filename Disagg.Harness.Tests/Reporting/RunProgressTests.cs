using System.Collections.Concurrent;
using Disagg.Harness.Reporting;
using Microsoft.Extensions.Time.Testing;

namespace Disagg.Harness.Tests.Reporting;

public sealed class RunProgressTests
{
    private FakeTimeProvider _time = null!;
    private ConcurrentQueue<string> _lines = null!;

    [SetUp]
    public void NewClock()
    {
        _time = new FakeTimeProvider(new DateTimeOffset(2026, 12, 6, 12, 0, 0, TimeSpan.Zero));
        _lines = new ConcurrentQueue<string>();
    }

    /// <summary>Advances second by second: the fake clock fires a timer with the clock already at the end of one Advance.</summary>
    private void Wait(TimeSpan span)
    {
        for (var s = 0; s < (int)span.TotalSeconds; s++) _time.Advance(TimeSpan.FromSeconds(1));
    }

    private RunProgress Progress(int total, int intervalSeconds = 30) => new(total, _time, TimeSpan.FromSeconds(intervalSeconds), _lines.Enqueue);

    [Test]
    public void Each_change_writes_one_line_with_done_failed_running_queued_and_elapsed()
    {
        using var progress = Progress(16);
        for (var i = 0; i < 8; i++) progress.Running($"t{i}");
        Wait(TimeSpan.FromSeconds(20));
        for (var i = 0; i < 4; i++) progress.Finished($"t{i}", RunProgress.Outcome.Passed);
        Wait(TimeSpan.FromSeconds(9));
        progress.Finished("t4", RunProgress.Outcome.Failed);
        progress.Running("t8");

        Assert.That(_lines.Last(), Is.EqualTo("[disagg] 5/16 done (1 failed), 4 running, 7 queued, 29s"));
        Assert.That(_lines, Has.Count.EqualTo(8 + 4 + 2), "one line per change");
    }

    [Test]
    public void A_quiet_run_still_writes_a_line_every_interval()
    {
        using var progress = Progress(3, intervalSeconds: 30);
        progress.Running("a");
        _lines.Clear();

        Wait(TimeSpan.FromMinutes(4) + TimeSpan.FromSeconds(12));

        Assert.That(_lines, Has.Count.EqualTo(8), "every 30 s for 4m12s");
        Assert.That(_lines.Last(), Is.EqualTo("[disagg] 0/3 done (0 failed), 1 running, 2 queued, 4m00s"));
    }

    [Test]
    public void A_report_that_changes_no_count_writes_nothing()
    {
        using var progress = Progress(2);
        progress.Queued("a");
        progress.Running("a");
        progress.Running("a");
        progress.Finished("a", RunProgress.Outcome.Passed);
        progress.Running("a");

        Assert.That(_lines, Is.EqualTo(new[]
        {
            "[disagg] 0/2 done (0 failed), 1 running, 1 queued, 0s",
            "[disagg] 1/2 done (0 failed), 0 running, 1 queued, 0s",
        }), "queued a (already counted as queued) and reports after done change nothing");
    }

    [Test]
    public void Skipped_tests_count_as_done_and_are_named()
    {
        using var progress = Progress(3);
        progress.Finished("w", RunProgress.Outcome.Skipped);
        progress.Finished("f", RunProgress.Outcome.Failed);

        Assert.That(progress.Line(), Is.EqualTo("[disagg] 2/3 done (1 failed, 1 skipped), 0 running, 1 queued, 0s"));
    }

    [Test]
    public void Complete_writes_the_last_line_over_the_tests_that_ran_and_stops_the_timer()
    {
        var progress = Progress(16, intervalSeconds: 10);
        progress.Running("a");
        progress.Finished("a", RunProgress.Outcome.Passed);
        progress.Finished("b", RunProgress.Outcome.Failed);
        Wait(TimeSpan.FromSeconds(65));
        _lines.Clear();

        progress.Complete();
        Wait(TimeSpan.FromMinutes(1));

        Assert.That(_lines, Is.EqualTo(new[] { "[disagg] 2/2 done (1 failed), 0 running, 0 queued, 1m05s" }));
    }

    [Test]
    public void Complete_adds_no_line_when_every_test_was_reported()
    {
        var progress = Progress(1);
        progress.Finished("a", RunProgress.Outcome.Passed);
        progress.Complete();
        Assert.That(_lines, Is.EqualTo(new[] { "[disagg] 1/1 done (0 failed), 0 running, 0 queued, 0s" }));
    }

    [Test]
    public void After_dispose_no_more_lines()
    {
        var progress = Progress(1, intervalSeconds: 10);
        progress.Dispose();
        Wait(TimeSpan.FromMinutes(5));
        Assert.That(_lines, Is.Empty);
    }

    [Test]
    public void Parallel_reports_end_with_exact_counts()
    {
        using var progress = Progress(200);
        Parallel.For(0, 200, i =>
        {
            progress.Running($"t{i}");
            progress.Finished($"t{i}", i % 10 == 0 ? RunProgress.Outcome.Failed : RunProgress.Outcome.Passed);
        });

        Assert.That(progress.Line(), Is.EqualTo("[disagg] 200/200 done (20 failed), 0 running, 0 queued, 0s"));
    }

    [TestCase(0, "0s")]
    [TestCase(59, "59s")]
    [TestCase(252, "4m12s")]
    [TestCase(3723, "1h02m03s")]
    public void Elapsed_is_short(int seconds, string expected) =>
        Assert.That(RunProgress.Elapsed(TimeSpan.FromSeconds(seconds)), Is.EqualTo(expected));

    [Test]
    public void Bad_arguments_say_what_is_wrong()
    {
        Assert.That(() => new RunProgress(-1, _time, TimeSpan.FromSeconds(1), _ => { }), Throws.InstanceOf<ArgumentOutOfRangeException>());
        Assert.That(() => new RunProgress(1, _time, TimeSpan.Zero, _ => { }),
            Throws.InstanceOf<ArgumentOutOfRangeException>().With.Message.Contains("interval must be positive"));
    }
}
