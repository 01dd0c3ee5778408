using System.Globalization;
using System.Text;
using Disagg.Harness.Cluster;
using Disagg.Harness.Common;
using Disagg.Harness.Configuration;

namespace Disagg.Harness.Rendering;

/// <summary>
/// The benchmark driver (run_benchmark.sh's behaviour): optional UCX warm-up, then one client run per
/// concurrency (list value x num_gen_servers) with the exact lines the result parser binds blocks to.
/// </summary>
public static class BenchmarkScript
{
    public static string Render(DisaggConfig config, ClusterProfile profile, RenderContext context)
    {
        var b = config.Benchmark;
        var sb = LauncherScripts.Header($"benchmark client of test {context.TestId}", "usage: <disagg host> <disagg port>");
        sb.AppendLine("HOST=\"$1\"; PORT=\"$2\"");
        sb.Append("WORKSPACE=").AppendLine(BashQuote.Quote(context.Workspace));
        sb.Append("CLIENT=(").Append(profile.Commands.BenchmarkClient).AppendLine(")");
        sb.Append("MODEL=").AppendLine(BashQuote.Quote(ModelName(config)));
        LauncherScripts.AppendExports(sb, b.EnvVar, config.SourceFile);
        sb.AppendLine("phase() { echo \"$(date +%s.%N) $*\" >> \"$WORKSPACE/" + JobFiles.Phases + "\"; }");
        // As run_benchmark.sh, but the client's own exit code reaches the step, the job and the runner.
        sb.AppendLine("trap 'rc=$?; echo \"Error occurred at line $LINENO (exit code $rc)\"; exit $rc' ERR");
        var warmup = ModeEnv.WarmupRequests(config);
        if (warmup > 0)
        {
            sb.Append("echo \"warming up ucx connections with small requests... ").Append(warmup).AppendLine("\"");
            sb.Append("\"${CLIENT[@]}\" --model \"$MODEL\" --dataset-name random --random-ids --random-input-len 100 --random-output-len 10 --num-prompts ")
              .Append(warmup).AppendLine(" --host \"$HOST\" --port \"$PORT\" --ignore-eos --non-streaming --trust-remote-code");
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
        sb.Append("  \"${CLIENT[@]}\" --model \"$MODEL\" --backend openai --host \"$HOST\" --port \"$PORT\" ");
        sb.Append(Dataset(config));
        sb.Append(" --num-prompts \"$num_prompts\" --max-concurrency \"$concurrency\" --trust-remote-code --ignore-eos --no-test-input --save-result");
        sb.Append(" --result-dir \"$result_dir\" --result-filename ").Append(JobFiles.ResultJson);
        sb.Append(" --percentile-metrics \"ttft,tpot,itl,e2el\"");
        if (!b.Streaming) sb.Append(" --non-streaming");
        sb.AppendLine();
        sb.AppendLine("  echo \"Benchmark with concurrency ${concurrency} done\"");
        sb.AppendLine("  phase \"concurrency ${concurrency} done\"");
        sb.AppendLine("done");
        return sb.ToString();
    }

    private static string Dataset(DisaggConfig config)
    {
        var b = config.Benchmark;
        // The nv_sa client (run_benchmark_nv_sa.sh) draws random prompts of the configured lengths with a chat
        // template. Disagg runs the staged client of the profile instead of cloning one at job time (known-defects 30).
        if (b.UseNvSaBenchmark)
            return string.Create(CultureInfo.InvariantCulture,
                $"--dataset-name random --random-input-len {b.InputLength} --random-output-len {b.OutputLength} --random-range-ratio {b.BenchmarkRatio ?? 0.0} --use-chat-template");
        return string.IsNullOrEmpty(b.DatasetFile)
            ? string.Create(CultureInfo.InvariantCulture, $"--dataset-name random --random-input-len {b.InputLength} --random-output-len {b.OutputLength}")
            : "--dataset-name trtllm_custom --dataset-path " + BashQuote.Quote(b.DatasetFile);
    }

    private static string ModelName(DisaggConfig config) =>
        string.IsNullOrEmpty(config.Environment.ModelPath) ? config.Metadata.ModelName : config.Environment.ModelPath;
}
