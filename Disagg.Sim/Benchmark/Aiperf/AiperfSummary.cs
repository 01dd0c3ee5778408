namespace Disagg.Sim.Benchmark.Aiperf;

/// <summary>
/// The metrics of one run computed from its records the way aiperf defines them: record metrics over the successful
/// requests, benchmark_duration from the first request start to the last response, throughputs derived from it.
/// </summary>
internal sealed record AiperfSummary(IReadOnlyList<AiperfStat> Stats, IReadOnlyList<(string Type, string Message, int Code, int Count)> Errors,
    double DurationS, int Successful, int Failed)
{
    public static AiperfSummary Of(IReadOnlyList<AiperfRecord> records)
    {
        var ok = records.Where(r => r.Success).ToList();
        var failed = records.Count - ok.Count;
        var duration = records.Count == 0 ? 0 : records.Max(r => r.EndS) - records.Min(r => r.StartS);
        var stats = new List<AiperfStat>();
        if (ok.Count > 0)
        {
            stats.Add(AiperfStat.Record("time_to_first_token", "Time to First Token (ms)", "ms", ok.Select(r => r.TtftMs).ToList()));
            var itl = ok.Select(r => r.InterTokenLatencyMs).OfType<double>().ToList();
            if (itl.Count > 0)
            {
                stats.Add(AiperfStat.Record("inter_token_latency", "Inter Token Latency (ms)", "ms", itl));
            }

            stats.Add(AiperfStat.Record("request_latency", "Request Latency (ms)", "ms", ok.Select(r => r.LatencyMs).ToList()));
            var perUser = ok.Select(r => r.PerUserTokensPerS).OfType<double>().ToList();
            if (perUser.Count > 0)
            {
                stats.Add(AiperfStat.Record("output_token_throughput_per_user", "Output Token Throughput Per User (tokens/sec/user)", "tokens/sec/user",
                    perUser));
            }

            stats.Add(AiperfStat.Record("output_sequence_length", "Output Sequence Length (tokens)", "tokens",
                ok.Select(r => (double)r.OutputLength).ToList()));
            stats.Add(AiperfStat.Record("input_sequence_length", "Input Sequence Length (tokens)", "tokens", ok.Select(r => (double)r.InputLength).ToList()));
            double isl = ok.Sum(r => (long)r.InputLength);
            double osl = ok.Sum(r => (long)r.OutputLength);
            var perSecond = duration > 0 ? 1 / duration : 0;
            stats.Add(AiperfStat.Derived("output_token_throughput", "Output Token Throughput (tokens/sec)", "tokens/sec", osl * perSecond));
            stats.Add(AiperfStat.Derived("total_token_throughput", "Total Token Throughput (tokens/sec)", "tokens/sec", (isl + osl) * perSecond));
            stats.Add(AiperfStat.Derived("request_throughput", "Request Throughput (requests/sec)", "requests/sec", ok.Count * perSecond));
            stats.Add(AiperfStat.Derived("request_count", "Request Count (requests)", "requests", ok.Count));
            stats.Add(AiperfStat.Derived("total_output_tokens", "Total Output Tokens (tokens)", "tokens", osl));
            stats.Add(AiperfStat.Derived("total_osl", "Total Output Sequence Length (tokens)", "tokens", osl));
            stats.Add(AiperfStat.Derived("total_isl", "Total Input Sequence Length (tokens)", "tokens", isl));
        }

        if (failed > 0)
        {
            stats.Add(AiperfStat.Derived("error_request_count", "Error Request Count (requests)", "requests", failed));
        }

        stats.Add(AiperfStat.Derived("benchmark_duration", "Benchmark Duration (sec)", "sec", duration));
        var errors = records.Where(r => !r.Success)
            .GroupBy(r => (r.ErrorType, r.ErrorMessage, r.ErrorCode))
            .Select(g => (g.Key.ErrorType, g.Key.ErrorMessage, g.Key.ErrorCode, g.Count()))
            .OrderByDescending(e => e.Item4)
            .ToList();
        return new AiperfSummary(stats, errors, duration, ok.Count, failed);
    }
}
