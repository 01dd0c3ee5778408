using Disagg.Harness.Configuration;
using Disagg.Harness.Thresholds;

namespace Disagg.Harness.Publishing;

/// <summary>Builds the neutral <see cref="PublishRecord"/> from what the run produced. Pure: the environment and job-side facts are passed in.</summary>
public static class PublishRecordFactory
{
    public static PublishRecord Create(JudgedRun result, DisaggConfig config, string runId, IReadOnlyDictionary<string, string> env,
        IReadOnlyList<StartupObservation>? startup = null)
    {
        var benchmark = config.Benchmark;
        var started = result.Phases.Count > 0 ? result.Phases[0].At : (DateTimeOffset?)null;
        var finished = result.Phases.Count > 0 ? result.Phases[^1].At : (DateTimeOffset?)null;
        var job = new JobFacts(result.JobId, result.Outcome?.State, result.Outcome?.ExitCode, result.Outcome?.Nodes, started, finished,
            Math.Round(result.Duration.TotalSeconds, 3));
        var speculative = CaseNames.SpeculativeDecoding(config);
        var client = new ClientSettings(
            Iterations: benchmark.MultiRound,
            Isl: benchmark.InputLength,
            Osl: benchmark.OutputLength,
            RandomRangeRatio: benchmark.BenchmarkRatio ?? 0.0,
            DatasetFile: benchmark.DatasetFile,
            Backend: "openai",
            UseChatTemplate: false,
            Streaming: benchmark.Streaming,
            TrustRemoteCode: true,
            EnvVars: Join(benchmark.EnvVar),
            SpeculativeDecoding: speculative)
        {
            UseNvSaBenchmark = benchmark.UseNvSaBenchmark,
            BenchmarkClient = benchmark.UseAiperf ? "aiperf" : "",
        };
        string WorkerEnv(IReadOnlyDictionary<string, string> role) => Join(config.Environment.WorkerEnv.Concat(role));
        var model = config.Metadata.ModelName;
        var serverName = CaseNames.ServerName(config, result.TestId);
        var gpusPerNode = config.Hardware.GpusPerNode;
        return new PublishRecord(
            RunId: runId,
            TestId: result.TestId,
            Passed: result.Passed,
            Problems: result.Problems,
            Job: job,
            GpuType: GpuTypeResolver.FromEnvironment(env) ?? result.GpuType ?? GpuTypeResolver.Unsupported,
            BenchmarkMode: CaseNames.Mode(config),
            NumCtxServers: benchmark.Mode == BenchmarkMode.GenOnlyNoContext ? 0 : config.Hardware.NumCtxServers,
            NumGenServers: config.Hardware.NumGenServers,
            ServerEnvVar: Join(config.Environment.ServerEnv),
            CtxServer: ServerFieldReader.Read(serverName, model, config.Ctx, gpusPerNode, WorkerEnv(config.Environment.CtxWorkerEnv)),
            GenServer: ServerFieldReader.Read(serverName, model, config.Gen, gpusPerNode, WorkerEnv(config.Environment.GenWorkerEnv)),
            Client: client,
            Results: [.. (result.Benchmark?.Blocks ?? []).Select(b => new ConcurrencyMetrics(b.Concurrency, b.Prompts, Judged(result, b))
            {
                Samples = [.. result.Benchmark!.Repeats.Where(r => r.Concurrency == b.Concurrency).OrderBy(r => r.SampleIndex).Select(r => r.Metrics)],
            })],
            ResolvedConfigJson: ConfigJson.From(config).ToJsonString(),
            Environment: env,
            RegressionCases: result.RegressionCases.Count > 0 ? result.RegressionCases : null)
        {
            ServerName = serverName,
            TestList = CaseNames.TestList(config, result.TestId),
            Startup = startup ?? [],
            FailureClass = result.Failure?.ClassName ?? "",
            Cluster = result.Cluster,
        };
    }

    /// <summary>The metrics as judged: gen_only step times are attached to the judged block, not the parsed one.</summary>
    private static IReadOnlyDictionary<string, double> Judged(JudgedRun result, Results.ConcurrencyResult parsed) =>
        result.Blocks.FirstOrDefault(b => b.Concurrency == parsed.Concurrency)?.Metrics ?? parsed.Metrics;

    private static string Join(IEnumerable<KeyValuePair<string, string>> pairs) => string.Join(" ", pairs.Select(p => $"{p.Key}={p.Value}"));
}
