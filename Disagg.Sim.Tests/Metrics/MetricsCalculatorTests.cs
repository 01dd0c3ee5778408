using Disagg.Sim.Benchmark.Client;
using Disagg.Sim.Benchmark.Metrics;

namespace Disagg.Sim.Tests.Metrics;

[TestFixture]
public sealed class MetricsCalculatorTests
{
    [Test]
    public void ComputesTpotExcludingTheFirstTokenAndThroughputsFromDuration()
    {
        var ok = new RequestOutcome { Success = true, Ttft = 0.1, Latency = 1.0, OutputTokens = 10, PromptLen = 100 };
        ok.Itl.AddRange([0.1, 0.1, 0.1]);
        var failed = new RequestOutcome { Success = false, ExceptionType = "ClientPayloadError", PromptLen = 100 };

        var metrics = MetricsCalculator.Calculate([ok, failed], 2.0, [99]);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(metrics.TotalRequests, Is.EqualTo(2));
            Assert.That(metrics.Completed, Is.EqualTo(1));
            Assert.That(metrics.Failed, Is.EqualTo(1));
            Assert.That(metrics.TotalInput, Is.EqualTo(100), "failed requests do not count input tokens");
            Assert.That(metrics.TotalOutput, Is.EqualTo(10));
            Assert.That(metrics.Tpot.Mean, Is.EqualTo(100.0).Within(1e-9), "(1.0 - 0.1) / (10 - 1) s = 100 ms");
            Assert.That(metrics.Itl.Mean, Is.EqualTo(100.0).Within(1e-9));
            Assert.That(metrics.E2el.Mean, Is.EqualTo(1000.0).Within(1e-9));
            Assert.That(metrics.RequestThroughput, Is.EqualTo(0.5));
            Assert.That(metrics.OutputThroughput, Is.EqualTo(5.0));
            Assert.That(metrics.TotalTokenThroughput, Is.EqualTo(55.0));
            Assert.That(metrics.UserThroughput, Is.EqualTo(10.0), "output tokens / e2e latency");
            Assert.That(metrics.ErrorCounts, Is.EqualTo(new[] { new KeyValuePair<string, int>("ClientPayloadError", 1) }));
        }
    }

    [Test]
    public void CountsGeneratedWordsWhenUsageIsMissingAndSkipsTpotForSingleTokens()
    {
        var single = new RequestOutcome { Success = true, Ttft = 0.2, Latency = 0.2, GeneratedText = " one", PromptLen = 5 };

        var metrics = MetricsCalculator.Calculate([single], 1.0, [99]);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(metrics.TotalOutput, Is.EqualTo(1));
            Assert.That(metrics.Tpot.Mean, Is.Zero);
            Assert.That(metrics.Ttft.Mean, Is.EqualTo(200.0).Within(1e-9));
        }
    }

    [Test]
    public void HttpErrorsFailWithoutAnErrorType()
    {
        var httpError = new RequestOutcome { Success = false, Error = "Internal Server Error" };

        var metrics = MetricsCalculator.Calculate([httpError, httpError], 1.0, [99]);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(metrics.Failed, Is.EqualTo(2));
            Assert.That(metrics.ErrorCounts, Is.Empty);
            Assert.That(metrics.Ttft.Mean, Is.Zero);
        }
    }
}
