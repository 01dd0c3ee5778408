using Disagg.Sim.Benchmark.Client;
using Disagg.Sim.Common;

namespace Disagg.Sim.Benchmark.Metrics;

/// <summary>The Python client's <c>calculate_metrics</c>: totals, throughputs and latency statistics from measured outcomes.</summary>
internal static class MetricsCalculator
{
    public static BenchmarkMetrics Calculate(IReadOnlyList<RequestOutcome> outcomes, double durationSeconds, IReadOnlyList<double> percentiles)
    {
        var ttfts = new List<double>();
        var tpots = new List<double>();
        var itls = new List<double>();
        var e2els = new List<double>();
        var userThroughput = new List<double>();
        var errors = new List<KeyValuePair<string, int>>();
        int completed = 0, totalInput = 0, totalOutput = 0;
        foreach (var outcome in outcomes)
        {
            if (outcome.ExceptionType is { } type)
            {
                var index = errors.FindIndex(e => e.Key == type);
                if (index >= 0)
                {
                    errors[index] = new KeyValuePair<string, int>(type, errors[index].Value + 1);
                }
                else
                {
                    errors.Add(new KeyValuePair<string, int>(type, 1));
                }
            }

            if (!outcome.Success)
            {
                continue;
            }

            var outputLen = outcome.OutputTokens > 0 ? outcome.OutputTokens : WordVocabulary.CountTokens(outcome.GeneratedText);
            totalOutput += outputLen;
            totalInput += outcome.PromptLen;
            if (outputLen > 1)
            {
                tpots.Add((outcome.Latency - outcome.Ttft) / (outputLen - 1));
            }

            itls.AddRange(outcome.Itl);
            ttfts.Add(outcome.Ttft);
            e2els.Add(outcome.Latency);
            userThroughput.Add(outcome.Latency > 0 ? outputLen / outcome.Latency : 0);
            completed++;
        }

        return new BenchmarkMetrics
        {
            TotalRequests = outcomes.Count,
            Completed = completed,
            DurationSeconds = durationSeconds,
            TotalInput = totalInput,
            TotalOutput = totalOutput,
            RequestThroughput = completed / durationSeconds,
            OutputThroughput = totalOutput / durationSeconds,
            TotalTokenThroughput = (totalInput + totalOutput) / durationSeconds,
            UserThroughput = LatencyStats.Mean(userThroughput),
            Ttft = LatencyStats.Summarize(ttfts, percentiles),
            Tpot = LatencyStats.Summarize(tpots, percentiles),
            Itl = LatencyStats.Summarize(itls, percentiles),
            E2el = LatencyStats.Summarize(e2els, percentiles),
            ErrorCounts = errors,
        };
    }
}
