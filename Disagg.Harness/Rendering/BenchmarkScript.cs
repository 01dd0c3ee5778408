using System.Globalization;
using System.Text;
using Disagg.Harness.Cluster;
using Disagg.Harness.Common;
using Disagg.Harness.Configuration;

namespace Disagg.Harness.Rendering;

/// <summary>
/// The benchmark driver (run_benchmark.sh's behaviour): optional UCX warm-up, then one client run per
/// concurrency (list value x num_gen_servers) with the exact lines the result parser binds blocks to. With
/// <c>use_nv_sa_benchmark</c> it is run_benchmark_nv_sa.sh's: the SA client of the profile with its own flags
/// (random prompts whose lengths fall in [len x benchmark_ratio, len], a chat template) and the failed-request
/// count read back from its result.json, since that client prints none.
/// </summary>
public static class BenchmarkScript
{
    public static string Render(DisaggConfig config, ClusterProfile profile, RenderContext context)
    {
        if (config.Benchmark.UseAiperf) return AiperfBenchmarkScript.Render(config, profile, context);
        var b = config.Benchmark;
        var sb = LauncherScripts.Header($"benchmark client of test {context.TestId}", "usage: <disagg host> <disagg port>");
        sb.AppendLine("HOST=\"$1\"; PORT=\"$2\"");
        sb.Append("WORKSPACE=").AppendLine(BashQuote.Quote(context.Workspace));
        sb.Append("CLIENT=(").Append(profile.Commands.BenchmarkClient).AppendLine(")");
        if (b.UseNvSaBenchmark)
        {
            sb.Append("SA_CLIENT=(").Append(NvSaClient(config, profile)).AppendLine(")");
            // json_number <key> <file>: a top-level integer of the client's result.json, without needing python on the node.
            sb.AppendLine("json_number() { sed -n \"s/.*\\\"$1\\\": *\\([0-9][0-9]*\\).*/\\1/p\" \"$2\" | head -n 1; }");
        }
        sb.Append("MODEL=").AppendLine(BashQuote.Quote(ModelName(config)));
        LauncherScripts.AppendExports(sb, b.EnvVar, config.SourceFile);
        ContainerEnv.AppendPathPrepends(sb);
        sb.AppendLine("phase() { echo \"$(date +%s.%N) $*\" >> \"$WORKSPACE/" + JobFiles.Phases + "\"; }");
        IterationLogs.AppendFunctions(sb, config);
        // As run_benchmark.sh, but the client's own exit code reaches the step, the job and the runner.
        sb.AppendLine("trap 'rc=$?; echo \"Error occurred at line $LINENO (exit code $rc)\"; exit $rc' ERR");
        var warmup = ModeEnv.WarmupRequests(config);
        if (warmup > 0)
        {
            sb.Append("echo \"warming up ucx connections with small requests... ").Append(warmup).AppendLine("\"");
            // The warm-up always uses the default client; run_benchmark_nv_sa.sh's omits --trust-remote-code.
            sb.Append("\"${CLIENT[@]}\" --model \"$MODEL\" --dataset-name random --random-ids --random-input-len 100 --random-output-len 10 --num-prompts ")
              .Append(warmup).Append(" --host \"$HOST\" --port \"$PORT\" --ignore-eos --non-streaming")
              .AppendLine(b.UseNvSaBenchmark ? "" : " --trust-remote-code");
            sb.AppendLine("echo \"UCX warmup done\"");
        }
        sb.AppendLine("echo \"Hostname: $HOST, Port: $PORT\"");
        sb.AppendLine("echo \"Starting benchmark...\"");
        sb.Append("for value in ").Append(string.Join(' ', b.ConcurrencyList)).AppendLine("; do");
        sb.Append("  concurrency=$((value * ").Append(config.Hardware.NumGenServers).AppendLine("))");
        sb.Append("  num_prompts=$((concurrency * ").Append(b.MultiRound).AppendLine("))");
        sb.AppendLine("  echo \"Benchmarking with concurrency ${concurrency} ... ${num_prompts} prompts\"");
        sb.AppendLine("  phase \"concurrency ${concurrency} started\"");
        sb.AppendLine("  result_dir=\"$WORKSPACE/concurrency_${concurrency}\"");
        sb.AppendLine("  mkdir -p \"$result_dir\"");
        IterationLogs.AppendMark(sb, config);
        AppendClientRun(sb, config);
        sb.AppendLine("  echo \"Benchmark with concurrency ${concurrency} done\"");
        IterationLogs.AppendExtract(sb, config);
        sb.AppendLine("  phase \"concurrency ${concurrency} done\"");
        sb.AppendLine("done");
        if (config.Regression.Confirms) AppendConfirmation(sb, config, profile);
        return sb.ToString();
    }

    /// <summary>The client call of one block, on $concurrency, $num_prompts and $result_dir.</summary>
    private static void AppendClientRun(StringBuilder sb, DisaggConfig config)
    {
        var b = config.Benchmark;
        if (b.UseNvSaBenchmark) AppendSaRun(sb, config);
        else
        {
            sb.Append("  \"${CLIENT[@]}\" --model \"$MODEL\" --backend openai --host \"$HOST\" --port \"$PORT\" ");
            sb.Append(Dataset(config));
            sb.Append(" --num-prompts \"$num_prompts\" --max-concurrency \"$concurrency\" --trust-remote-code --ignore-eos --no-test-input --save-result");
            sb.Append(" --result-dir \"$result_dir\" --result-filename ").Append(JobFiles.ResultJson);
            sb.Append(" --percentile-metrics \"ttft,tpot,itl,e2el\"");
            if (!b.Streaming) sb.Append(" --non-streaming");
            sb.AppendLine();
        }
    }

    /// <summary>How long the driver waits, after its planned list and after each repeat, for the runner's next answer.</summary>
    public static int ConfirmWaitSeconds(ClusterProfile profile) => (int)Math.Max(60, profile.PollInterval.TotalSeconds * 6);

    /// <summary>
    /// In-allocation confirmation (regression.rule: noise_aware): after the planned list the driver reads the runner's requests,
    /// <c>confirm/request_1</c>, <c>request_2</c>, ... (one line: real concurrency and repeat index), and runs each as an ordinary
    /// block marked as a repeat, with the servers still up, until the runner writes <c>confirm/end</c> or stays silent for
    /// <see cref="ConfirmWaitSeconds"/>. The runner decides what to repeat and whether the job's time limit allows it.
    /// </summary>
    private static void AppendConfirmation(StringBuilder sb, DisaggConfig config, ClusterProfile profile)
    {
        var wait = ConfirmWaitSeconds(profile);
        sb.AppendLine("# In-allocation confirmation: repeats the runner asks for (docs/thresholds.md, regression.rule: noise_aware).");
        sb.AppendLine("CONFIRM_DIR=\"$WORKSPACE/" + JobFiles.ConfirmDir + "\"");
        sb.AppendLine("mkdir -p \"$CONFIRM_DIR\"");
        sb.AppendLine("phase \"planned concurrencies done\"");
        sb.AppendLine("request=1; waited=0");
        sb.Append("while [ ! -f \"$CONFIRM_DIR/").Append(JobFiles.ConfirmEnd).Append("\" ] && [ \"$waited\" -lt ").Append(wait).AppendLine(" ]; do");
        sb.AppendLine("  line=\"\"; [ -f \"$CONFIRM_DIR/request_${request}\" ] && line=$(head -n 1 \"$CONFIRM_DIR/request_${request}\")");
        sb.AppendLine("  concurrency=\"${line%% *}\"; repeat=\"${line##* }\"");
        sb.AppendLine("  case \"$line\" in *' '*) ;; *) sleep 1; waited=$((waited + 1)); continue ;; esac");
        sb.AppendLine("  case \"$concurrency$repeat\" in ''|*[!0-9]*) sleep 1; waited=$((waited + 1)); continue ;; esac");
        sb.Append("  num_prompts=$((concurrency * ").Append(config.Benchmark.MultiRound).AppendLine("))");
        sb.AppendLine("  echo \"Benchmarking with concurrency ${concurrency} ... ${num_prompts} prompts (repeat ${repeat})\"");
        sb.AppendLine("  phase \"concurrency ${concurrency} repeat ${repeat} started\"");
        sb.AppendLine("  result_dir=\"$WORKSPACE/concurrency_${concurrency}/repeat_${repeat}\"");
        sb.AppendLine("  mkdir -p \"$result_dir\"");
        AppendClientRun(sb, config);
        sb.AppendLine("  echo \"Benchmark with concurrency ${concurrency} done (repeat ${repeat})\"");
        sb.AppendLine("  phase \"concurrency ${concurrency} repeat ${repeat} done\"");
        sb.AppendLine("  request=$((request + 1)); waited=0");
        sb.AppendLine("done");
        sb.Append("[ -f \"$CONFIRM_DIR/").Append(JobFiles.ConfirmEnd).Append("\" ] || echo \"WARNING: no confirmation answer from the runner within ")
          .Append(wait).AppendLine(" s; ending the benchmark\" >&2");
    }

    private static string Dataset(DisaggConfig config)
    {
        var b = config.Benchmark;
        return string.IsNullOrEmpty(b.DatasetFile)
            ? string.Create(CultureInfo.InvariantCulture, $"--dataset-name random --random-input-len {b.InputLength} --random-output-len {b.OutputLength}")
            : "--dataset-name trtllm_custom --dataset-path " + BashQuote.Quote(b.DatasetFile);
    }

    /// <summary>run_benchmark_nv_sa.sh's client call and its "Total failed requests" line (from result.json's num_prompts - completed).</summary>
    private static void AppendSaRun(StringBuilder sb, DisaggConfig config)
    {
        var b = config.Benchmark;
        sb.Append("  \"${SA_CLIENT[@]}\" --model \"$MODEL\" --host \"$HOST\" --port \"$PORT\" --dataset-name random")
          .Append(" --num-prompts \"$num_prompts\" --max-concurrency \"$concurrency\" --trust-remote-code --ignore-eos")
          .Append(CultureInfo.InvariantCulture, $" --random-input-len {b.InputLength} --random-output-len {b.OutputLength}")
          .Append(CultureInfo.InvariantCulture, $" --random-range-ratio {b.BenchmarkRatio ?? 0.0}")
          .Append(" --save-result --use-chat-template --result-dir \"$result_dir\" --result-filename ").Append(JobFiles.ResultJson)
          .Append(" --percentile-metrics \"ttft,tpot,itl,e2el\"");
        if (!b.Streaming) sb.Append(" --non-streaming");
        sb.AppendLine();
        var json = "\"$result_dir/" + JobFiles.ResultJson + "\"";
        sb.AppendLine($"  prompts=$(json_number num_prompts {json}); completed=$(json_number completed {json})");
        sb.AppendLine("  if [ -n \"$prompts\" ] && [ -n \"$completed\" ]; then echo \"Total failed requests: $((prompts - completed))\";");
        sb.AppendLine("  else echo \"WARNING: failed to read request counts from $result_dir/" + JobFiles.ResultJson + "\" >&2; fi");
    }

    private static string NvSaClient(DisaggConfig config, ClusterProfile profile) =>
        profile.Commands.NvSaClient ?? throw new ConfigException([new ConfigError(config.SourceFile, 0, 0, "benchmark.use_nv_sa_benchmark",
            $"the SA benchmark client is selected but cluster profile {profile.SourceFile} has no commands.benchmark_client_nv_sa; " +
            "add the command that runs it (its flags differ from benchmark_client's), or set use_nv_sa_benchmark: false")]);

    private static string ModelName(DisaggConfig config) =>
        string.IsNullOrEmpty(config.Environment.ModelPath) ? config.Metadata.ModelName : config.Environment.ModelPath;
}
