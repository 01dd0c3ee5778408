using System.Globalization;
using Disagg.Harness.Configuration;

namespace Disagg.Harness.Rendering;

/// <summary>Environment variables each benchmark mode adds.</summary>
public static class ModeEnv
{
    public static IEnumerable<KeyValuePair<string, string>> ForWorker(DisaggConfig config, string role)
    {
        switch (config.Benchmark.Mode)
        {
            case BenchmarkMode.GenOnly:
                yield return new("TRTLLM_DISABLE_KV_CACHE_TRANSFER_OVERLAP", "1");
                // The first concurrency of the list, not times num_gen_servers: the disagg server splits the client's
                // concurrency across the gen servers, so each one's fill gate waits for exactly this many requests.
                if (role == "gen")
                    yield return new("TLLM_BENCHMARK_REQ_QUEUES_SIZE",
                        config.Benchmark.ConcurrencyList.FirstOrDefault().ToString(CultureInfo.InvariantCulture));
                break;
            case BenchmarkMode.GenOnlyNoContext:
                yield return new("TRTLLM_DISAGG_BENCHMARK_GEN_ONLY", "1");
                break;
        }
    }

    /// <summary>nsys profiling variables of a worker.</summary>
    public static IEnumerable<KeyValuePair<string, string>> ForProfiling(DisaggConfig config, string role)
    {
        if (!config.Profiling.NsysOn) yield break;
        yield return new("TLLM_PROFILE_RECORD_GC", "1");
        yield return new("TLLM_NVTX_DEBUG", "1");
        yield return new("NSYS_MPI_STORE_TEAMS_PER_RANK", "1");
        yield return new("TLLM_PROFILE_START_STOP", role == "ctx" ? config.Profiling.CtxProfileRange : config.Profiling.GenProfileRange);
    }

    public static IEnumerable<KeyValuePair<string, string>> ForServer(DisaggConfig config)
    {
        if (config.Benchmark.Mode == BenchmarkMode.GenOnlyNoContext)
            yield return new("TRTLLM_DISAGG_BENCHMARK_GEN_ONLY", "1");
    }

    /// <summary>UCX warm-up of 2 x ctx_world x gen_world requests, e2e only.</summary>
    public static int WarmupRequests(DisaggConfig config) =>
        config.Benchmark.Mode == BenchmarkMode.E2E ? 2 * config.Ctx.WorldSize * config.Gen.WorldSize : 0;
}
