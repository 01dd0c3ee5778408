using System.Globalization;
using System.Text;
using Disagg.Harness.Configuration;

namespace Disagg.Harness.Rendering;

/// <summary>
/// Per-concurrency slices of the workers' iteration logs, as upstream's run_benchmark.sh writes them: before a
/// concurrency the driver notes each server log's length; after it, the new context-only iterations of each CTX log
/// (<c>'num_generation_tokens': 0</c>) go to <c>concurrency_N/ctx_only_I.txt</c> and the new generation-only iterations
/// of each GEN log (<c>'num_ctx_requests': 0, 'num_ctx_tokens': 0</c>) to <c>concurrency_N/gen_only_I.txt</c>.
/// </summary>
public static class IterationLogs
{
    private static IEnumerable<(string Role, int Index)> Servers(DisaggConfig config) =>
        DwdpJob.Applies(config) ? [] :
        Enumerable.Range(0, config.Benchmark.Mode == BenchmarkMode.GenOnlyNoContext ? 0 : config.Hardware.NumCtxServers).Select(i => ("ctx", i))
            .Concat(Enumerable.Range(0, config.Hardware.NumGenServers).Select(i => ("gen", i)));

    public static void AppendFunctions(StringBuilder sb, DisaggConfig config)
    {
        if (!Servers(config).Any()) return;
        sb.AppendLine("# mark_logs / slice_logs <result dir>: the iteration lines each server log gained during one concurrency.");
        sb.AppendLine("mark_logs() { local f; for f in \"$@\"; do wc -l < \"$WORKSPACE/$f\" 2>/dev/null || echo 0; done; }");
        sb.AppendLine("slice_log() { tail -n +\"$(( $2 + 1 ))\" \"$WORKSPACE/$1\" 2>/dev/null | grep -a -- \"$3\" > \"$4\" || true; }");
    }

    public static void AppendMark(StringBuilder sb, DisaggConfig config)
    {
        var logs = Servers(config).Select(s => JobFiles.WorkerLog(s.Role, s.Index)).ToList();
        if (logs.Count == 0) return;
        sb.Append("  mapfile -t log_lines < <(mark_logs ").AppendJoin(' ', logs).AppendLine(")");
    }

    public static void AppendExtract(StringBuilder sb, DisaggConfig config)
    {
        var i = 0;
        foreach (var (role, index) in Servers(config))
        {
            var pattern = role == "ctx" ? "'num_generation_tokens': 0" : "'num_ctx_requests': 0, 'num_ctx_tokens': 0";
            sb.Append("  slice_log ").Append(JobFiles.WorkerLog(role, index)).Append(" \"${log_lines[").Append(i.ToString(CultureInfo.InvariantCulture))
              .Append("]}\" \"").Append(pattern).Append("\" \"$result_dir/").Append(role).Append("_only_").Append(index.ToString(CultureInfo.InvariantCulture))
              .AppendLine(".txt\"");
            i++;
        }
    }
}
