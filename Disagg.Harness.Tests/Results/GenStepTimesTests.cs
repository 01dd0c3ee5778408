using Disagg.Harness.Results;
using Disagg.Harness.Tests.Fixtures;

namespace Disagg.Harness.Tests.Results;

public sealed class GenStepTimesTests
{
    private const string GenLine = "[TRT-LLM] [RANK 0] [I] iter = 7, global_rank = 0, rank = 0, currank_total_requests = 0/16, host_step_time = 11.2ms, "
        + "prev_device_step_time = {0}, timestamp = 2025-06-12 08:30:10, num_scheduled_requests: 16, "
        + "states = {{'num_ctx_requests': {1}, 'num_ctx_tokens': {2}, 'num_generation_tokens': {3}}}";

    private static string Line(string step, int ctxRequests = 0, int ctxTokens = 0, int genTokens = 16) =>
        string.Format(System.Globalization.CultureInfo.InvariantCulture, GenLine, step, ctxRequests, ctxTokens, genTokens);

    [Test]
    public void Only_generation_only_iterations_with_a_device_time_count()
    {
        var text = string.Join('\n',
            Line("10.5ms"),
            Line("N/A"),
            Line("30.0ms", ctxRequests: 1, ctxTokens: 1024),
            Line("40.0ms", genTokens: 0),
            "[TRT-LLM] [W] unrelated: prev_device_step_time = 99ms",
            "1: " + Line("12.25ms") + "\r");
        Assert.That(GenStepTimes.Read(text), Is.EqualTo(new[] { 10.5, 12.25 }));
    }

    [Test]
    public void Summary_pools_all_gen_servers_of_the_fixture_job()
    {
        var dir = FixturePaths.Fixture("jobs", "genonly-mtp");
        var logs = new[] { "gen_server_0.log", "gen_server_1.log" }.Select(n => (n, File.ReadAllText(Path.Combine(dir, n)))).ToList();
        var s = GenStepTimes.Summarize(logs)!;
        // Server 0: 10.00..11.00 in 0.25 steps (4 times each), server 1 the same + 0.5.
        using (Assert.EnterMultipleScope())
        {
            Assert.That(s.Iterations, Is.EqualTo(40));
            Assert.That(s.Mean, Is.EqualTo(10.75).Within(1e-9));
            Assert.That(s.Median, Is.EqualTo(10.75).Within(1e-9));
            Assert.That(s.P75, Is.EqualTo(11.0).Within(1e-9));
            Assert.That(s.P99, Is.EqualTo(11.5).Within(1e-9));
            Assert.That(s.Std, Is.EqualTo(Math.Sqrt(0.1875)).Within(1e-9));
            Assert.That(s.Metrics.Keys, Is.All.EndsWith("_gen_worker_per_iter_device_step_time"));
        }
    }

    [Test]
    public void No_iteration_lines_give_no_summary()
    {
        Assert.That(GenStepTimes.Summarize([("gen_server_0.log", "server started\n")]), Is.Null);
    }
}
