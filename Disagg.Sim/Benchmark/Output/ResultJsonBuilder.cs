using System.Globalization;
using Disagg.Sim.Benchmark.Client;
using Disagg.Sim.Benchmark.Metrics;
using Disagg.Sim.Common;

namespace Disagg.Sim.Benchmark.Output;

/// <summary>Builds <c>result.json</c> with the keys in the order TensorRT-LLM's benchmark_serving writes them.</summary>
internal static class ResultJsonBuilder
{
    public static PyDict Build(BenchmarkOptions options, BenchmarkMetrics metrics, IReadOnlyList<RequestOutcome> outcomes, DateTime now)
    {
        var result = new PyDict
        {
            { "date", now.ToString("yyyyMMdd-HHmmss", CultureInfo.InvariantCulture) },
            { "backend", options.Backend },
            { "model_id", options.Model },
            { "tokenizer_id", options.Tokenizer ?? options.Model },
            { "num_prompts", options.NumPrompts },
        };
        foreach (var item in options.Metadata ?? [])
        {
            var parts = item.Split('=');
            result.Add(parts[0].Trim(), parts[1].Trim());
        }

        result.Add("duration", metrics.DurationSeconds);
        result.Add("completed", metrics.Completed);
        result.Add("total_input_tokens", metrics.TotalInput);
        result.Add("total_output_tokens", metrics.TotalOutput);
        result.Add("request_throughput", metrics.RequestThroughput);
        result.Add("request_goodput:", null);
        result.Add("output_throughput", metrics.OutputThroughput);
        result.Add("total_token_throughput", metrics.TotalTokenThroughput);
        result.Add("user_throughput", metrics.UserThroughput);
        result.Add("avg_decoded_tokens_per_iter", AvgDecodedTokensPerIter(options.SelectedPercentiles));
        if (options.SaveDetailed)
        {
            AddDetails(result, outcomes);
        }

        foreach (var metric in new[] { "ttft", "tpot", "itl", "e2el" }.Where(options.SelectedMetrics.Contains))
        {
            var summary = metrics.Get(metric);
            result.Add($"std_{metric}_ms", summary.Std);
            result.Add($"mean_{metric}_ms", summary.Mean);
            result.Add($"median_{metric}_ms", summary.Median);
            foreach (var percentile in summary.Percentiles)
            {
                result.Add($"p{percentile.Word}_{metric}_ms", percentile.Value);
            }
        }

        result.Add("request_rate", double.IsPositiveInfinity(options.RequestRate) ? "inf" : options.RequestRate);
        result.Add("burstiness", options.Burstiness);
        result.Add("max_concurrency", options.MaxConcurrency);
        return result;
    }

    /// <summary>Without speculative decoding every statistic is 0 (the block then omits the section).</summary>
    private static PyDict AvgDecodedTokensPerIter(IReadOnlyList<double> percentiles)
    {
        var values = new PyDict();
        foreach (var p in percentiles)
        {
            values.Add("p" + new PercentileValue(p, 0).Word, 0.0);
        }

        return new PyDict
        {
            { "mean", 0.0 }, { "min", 0.0 }, { "max", 0.0 }, { "median", 0.0 }, { "std", 0.0 }, { "percentiles", values },
        };
    }

    private static void AddDetails(PyDict result, IReadOnlyList<RequestOutcome> outcomes)
    {
        result.Add("input_lens", outcomes.Select(o => o.PromptLen).ToList());
        result.Add("output_lens",
            outcomes.Select(o => o.Success ? (o.OutputTokens > 0 ? o.OutputTokens : WordVocabulary.CountTokens(o.GeneratedText)) : 0).ToList());
        result.Add("ttfts", outcomes.Select(o => o.Ttft).ToList());
        result.Add("itls", outcomes.Select(o => o.Itl).ToList());
        result.Add("e2els", outcomes.Select(o => o.Latency).ToList());
        result.Add("generated_texts", outcomes.Select(o => o.GeneratedText).ToList());
        result.Add("errors", outcomes.Select(o => o.Error).ToList());
    }
}
