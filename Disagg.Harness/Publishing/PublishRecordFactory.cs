using Disagg.Harness.Configuration;
using Disagg.Harness.Thresholds;

namespace Disagg.Harness.Publishing;

/// <summary>Builds the neutral <see cref="PublishRecord"/> from what the run produced. Pure: the environment is passed in.</summary>
public static class PublishRecordFactory
{
    public static readonly IReadOnlyList<string> KnownGpuTypes = ["gb200", "gb300", "b200", "b300", "h200"];

    public static PublishRecord Create(JudgedRun result, DisaggConfig config, string runId, IReadOnlyDictionary<string, string> env)
    {
        var benchmark = config.Benchmark;
        var serverEnv = Join(config.Environment.ServerEnv);
        var started = result.Phases.Count > 0 ? result.Phases[0].At : (DateTimeOffset?)null;
        var finished = result.Phases.Count > 0 ? result.Phases[^1].At : (DateTimeOffset?)null;
        var job = new JobFacts(result.JobId, result.Outcome?.State, result.Outcome?.ExitCode, result.Outcome?.Nodes, started, finished,
            Math.Round(result.Duration.TotalSeconds, 3));
        var client = new ClientSettings(
            Iterations: benchmark.MultiRound,
            Isl: benchmark.InputLength,
            Osl: benchmark.OutputLength,
            RandomRangeRatio: benchmark.BenchmarkRatio ?? 0.0,
            DatasetFile: benchmark.DatasetFile,
            Backend: "openai",
            UseChatTemplate: false,
            Streaming: benchmark.Streaming,
            TrustRemoteCode: false,
            EnvVars: Join(benchmark.EnvVar),
            SpeculativeDecoding: config.Gen.MtpLayers > 0);
        string WorkerEnv(IReadOnlyDictionary<string, string> role) => Join(config.Environment.WorkerEnv.Concat(role));
        var model = config.Metadata.ModelName;
        return new PublishRecord(
            RunId: runId,
            TestId: result.TestId,
            Passed: result.Passed,
            Problems: result.Problems,
            Job: job,
            GpuType: GpuType(env),
            BenchmarkMode: benchmark.Mode == BenchmarkMode.E2E ? "e2e" : "gen_only",
            NumCtxServers: config.Hardware.NumCtxServers,
            NumGenServers: config.Hardware.NumGenServers,
            ServerEnvVar: serverEnv,
            CtxServer: ServerFieldReader.Read($"{result.TestId}_ctx", model, config.Ctx, config.Hardware.GpusPerNode, WorkerEnv(config.Environment.CtxWorkerEnv)),
            GenServer: ServerFieldReader.Read($"{result.TestId}_gen", model, config.Gen, config.Hardware.GpusPerNode, WorkerEnv(config.Environment.GenWorkerEnv)),
            Client: client,
            Results: [.. (result.Benchmark?.Blocks ?? []).Select(b => new ConcurrencyMetrics(b.Concurrency, b.Prompts, b.Metrics))],
            ResolvedConfigJson: ConfigJson.From(config).ToJsonString(),
            Environment: env,
            RegressionByConcurrency: RegressionOutcomes.ByConcurrency(result, config, client));
    }

    /// <summary><c>DISAGG_GPU_TYPE</c> (set by the cluster profile or CI) when it is a known type, else <c>unsupported</c>.</summary>
    public static string GpuType(IReadOnlyDictionary<string, string> env) =>
        env.GetValueOrDefault("DISAGG_GPU_TYPE")?.Trim().ToLowerInvariant() is { } gpu && KnownGpuTypes.Contains(gpu) ? gpu : "unsupported";

    private static string Join(IEnumerable<KeyValuePair<string, string>> pairs) => string.Join(" ", pairs.Select(p => $"{p.Key}={p.Value}"));
}
