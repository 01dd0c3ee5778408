using System.Globalization;
using System.Text;
using Disagg.Harness.Cluster;
using Disagg.Harness.Common;
using Disagg.Harness.Configuration;

namespace Disagg.Harness.Rendering;

/// <summary>
/// The benchmark driver with <c>benchmark.use_aiperf: true</c> (run_benchmark_aiperf.sh's behaviour): the optional UCX
/// warm-up with the default client, then per listed concurrency (not multiplied by num_gen_servers) one
/// <c>aiperf profile</c> run with upstream's flags writing into <c>concurrency_N/</c>, a hard failure when it left no
/// non-empty profile_export_aiperf.json, and finally the disagg server's <c>/perf_metrics</c> in perf_metrics.json.
/// Deliberate difference: aiperf is the profile's staged <c>commands.benchmark_client_aiperf</c>, never pip-installed by
/// the job (compute nodes have no network); the <c>AIPERF_PUBLIC_DATASET</c> branch is kept as upstream has it.
/// </summary>
public static class AiperfBenchmarkScript
{
    /// <summary>Upstream's per-round duration bound: 20 minutes per multi_round.</summary>
    public const int SecondsPerRound = 1200;

    public const string ExportJson = "profile_export_aiperf.json";
    public const string PerfMetricsJson = "perf_metrics.json";

    public static string Render(DisaggConfig config, ClusterProfile profile, RenderContext context)
    {
        var b = config.Benchmark;
        var sb = LauncherScripts.Header($"aiperf benchmark client of test {context.TestId}", "usage: <disagg host> <disagg port>");
        sb.AppendLine("HOST=\"$1\"; PORT=\"$2\"");
        sb.Append("WORKSPACE=").AppendLine(BashQuote.Quote(context.Workspace));
        sb.Append("CLIENT=(").Append(profile.Commands.BenchmarkClient).AppendLine(")");
        sb.Append("AIPERF=(").Append(Client(config, profile)).AppendLine(")");
        sb.Append("MODEL=").AppendLine(BashQuote.Quote(ModelName(config)));
        sb.Append("DATASET=").AppendLine(BashQuote.Quote(b.DatasetFile));
        LauncherScripts.AppendExports(sb, b.EnvVar, config.SourceFile);
        ContainerEnv.AppendPathPrepends(sb);
        sb.AppendLine("phase() { echo \"$(date +%s.%N) $*\" >> \"$WORKSPACE/" + JobFiles.Phases + "\"; }");
        IterationLogs.AppendFunctions(sb, config);
        sb.AppendLine("trap 'rc=$?; echo \"Error occurred at line $LINENO (exit code $rc)\"; exit $rc' ERR");
        sb.AppendLine("echo \"aiperf: ${AIPERF[*]} (staged by the cluster profile; the job installs nothing)\"");
        var warmup = ModeEnv.WarmupRequests(config);
        if (warmup > 0)
        {
            sb.Append("echo \"warming up ucx connections with small requests... ").Append(warmup).AppendLine("\"");
            sb.Append("\"${CLIENT[@]}\" --model \"$MODEL\" --dataset-name random --random-ids --random-input-len 100 --random-output-len 10 --num-prompts ")
              .Append(warmup).AppendLine(" --host \"$HOST\" --port \"$PORT\" --ignore-eos --trust-remote-code --non-streaming");
            sb.AppendLine("echo \"UCX warmup done\"");
        }
        sb.AppendLine("# Trust remote code globally for custom tokenizers in parallel workers");
        sb.AppendLine("export HF_HUB_TRUST_REMOTE_CODE=1");
        sb.AppendLine("echo \"Hostname: $HOST, Port: $PORT\"");
        sb.AppendLine("echo \"Starting aiperf benchmark...\"");
        sb.AppendLine("if [ -n \"${AIPERF_RUNTIME_TMPDIR:-}\" ]; then");
        sb.AppendLine("  mkdir -p \"$AIPERF_RUNTIME_TMPDIR\"; export TMPDIR=\"$AIPERF_RUNTIME_TMPDIR\"; echo \"AIPerf runtime TMPDIR: $TMPDIR\"");
        sb.AppendLine("fi");
        sb.Append("for concurrency in ").Append(string.Join(' ', b.ConcurrencyList)).AppendLine("; do");
        sb.Append("  request_count=$((concurrency * ").Append(b.MultiRound).AppendLine("))");
        sb.Append("  benchmark_duration=").AppendLine((b.MultiRound * SecondsPerRound).ToString(CultureInfo.InvariantCulture));
        sb.AppendLine("  echo \"Benchmarking with concurrency ${concurrency} ... ${request_count} requests, duration ${benchmark_duration}s\"");
        sb.AppendLine("  phase \"concurrency ${concurrency} started\"");
        sb.AppendLine("  result_dir=\"$WORKSPACE/concurrency_${concurrency}\"");
        sb.AppendLine("  mkdir -p \"$result_dir\"");
        IterationLogs.AppendMark(sb, config);
        AppendDatasetArgs(sb);
        sb.AppendLine("  \"${AIPERF[@]}\" profile -m \"$MODEL\" --tokenizer \"$MODEL\" --tokenizer-trust-remote-code --url \"http://${HOST}:${PORT}\" \\");
        sb.AppendLine("    --endpoint-type chat --streaming --ui simple \"${dataset_args[@]}\" --artifact-dir \"$result_dir\" \\");
        sb.AppendLine("    --concurrency \"$concurrency\" --concurrency-ramp-duration 60 \"${stop_args[@]}\" --workers-max 200 \\");
        sb.AppendLine("    --request-timeout-seconds 1200 --profile-export-level records --extra-inputs ignore_eos:true --record-processors 8");
        sb.AppendLine("  if ! find \"$result_dir\" -type f -name " + ExportJson + " -size +0c -print -quit | grep -q .; then");
        sb.AppendLine("    echo \"AIPerf did not produce " + ExportJson + "\" >&2");
        sb.AppendLine("    exit 1");
        sb.AppendLine("  fi");
        sb.AppendLine("  echo \"Benchmark with concurrency ${concurrency} done\"");
        IterationLogs.AppendExtract(sb, config);
        sb.AppendLine("  phase \"concurrency ${concurrency} done\"");
        sb.AppendLine("done");
        sb.AppendLine("echo \"Fetching perf metrics from http://${HOST}:${PORT}/perf_metrics ...\"");
        sb.AppendLine("curl -s \"http://${HOST}:${PORT}/perf_metrics\" > \"$WORKSPACE/" + PerfMetricsJson + "\" 2>&1 || true");
        sb.AppendLine("if [ -s \"$WORKSPACE/" + PerfMetricsJson + "\" ]; then echo \"Perf metrics saved to $WORKSPACE/" + PerfMetricsJson + "\"");
        sb.AppendLine("else echo \"Warning: perf_metrics response was empty or endpoint not available\"; fi");
        return sb.ToString();
    }

    /// <summary>
    /// run_benchmark_aiperf.sh's dataset and stop arguments: the mooncake_trace input file, or a public dataset when
    /// AIPERF_PUBLIC_DATASET is set.
    /// </summary>
    private static void AppendDatasetArgs(StringBuilder sb)
    {
        sb.AppendLine("  dataset_args=()");
        sb.AppendLine("  stop_args=(--benchmark-duration \"$benchmark_duration\" --benchmark-grace-period \"${AIPERF_BENCHMARK_GRACE_PERIOD:-60}\")");
        sb.AppendLine("  if [ -n \"${AIPERF_PUBLIC_DATASET:-}\" ]; then");
        sb.AppendLine("    dataset_args+=(--public-dataset \"$AIPERF_PUBLIC_DATASET\")");
        sb.AppendLine("    if [ \"$AIPERF_PUBLIC_DATASET\" = weka_hf ]; then");
        sb.AppendLine("      if [ -z \"${AIPERF_HF_WEKA_REPO:-}\" ]; then echo \"AIPERF_HF_WEKA_REPO is required for weka_hf\" >&2; exit 1; fi");
        sb.AppendLine("      dataset_args+=(--hf-weka-repo \"$AIPERF_HF_WEKA_REPO\")");
        sb.AppendLine("    fi");
        sb.AppendLine("    if [ -n \"${AIPERF_NUM_DATASET_ENTRIES:-}\" ]; then dataset_args+=(--num-dataset-entries \"$AIPERF_NUM_DATASET_ENTRIES\"); fi");
        sb.AppendLine("    if [ -n \"${AIPERF_EXCLUDE_TRACE_IDS:-}\" ]; then dataset_args+=(--exclude-trace-id \"$AIPERF_EXCLUDE_TRACE_IDS\"); fi");
        sb.AppendLine("    if [ -n \"${AIPERF_MAX_CONTEXT_LENGTH:-}\" ]; then dataset_args+=(--max-context-length \"$AIPERF_MAX_CONTEXT_LENGTH\"); fi");
        sb.AppendLine("    if [ \"${AIPERF_NO_FIXED_SCHEDULE:-0}\" = 1 ]; then dataset_args+=(--no-fixed-schedule); fi");
        sb.AppendLine("    if [ \"${AIPERF_IGNORE_TRACE_DELAYS:-0}\" = 1 ]; then dataset_args+=(--ignore-trace-delays); fi");
        sb.AppendLine("  else");
        sb.AppendLine("    dataset_args+=(--input-file \"$DATASET\" --custom-dataset-type mooncake_trace)");
        sb.AppendLine("    stop_args+=(--request-count \"$request_count\")");
        sb.AppendLine("  fi");
    }

    private static string Client(DisaggConfig config, ClusterProfile profile) =>
        profile.Commands.AiperfClient is { Length: > 0 } client
            ? client
            : throw new ConfigException([new ConfigError(config.SourceFile, 0, 0, "benchmark.use_aiperf",
                $"the aiperf benchmark client is selected but cluster profile {profile.SourceFile} has no commands.benchmark_client_aiperf; " +
                "add the command that runs aiperf as staged on the cluster (the job never pip-installs it), or set use_aiperf: false")]);

    private static string ModelName(DisaggConfig config) =>
        string.IsNullOrEmpty(config.Environment.ModelPath) ? config.Metadata.ModelName : config.Environment.ModelPath;
}
