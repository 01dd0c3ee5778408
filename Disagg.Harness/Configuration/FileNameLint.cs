using System.Globalization;
using System.Text.RegularExpressions;
using YamlDotNet.RepresentationModel;

namespace Disagg.Harness.Configuration;

/// <summary>
/// Compares the informational tokens of a config's file name (<c>1k1k</c>,
/// <c>ctx2</c>, <c>gen1</c>, <c>dep16</c>, <c>bs128</c>, <c>eplb288</c>, <c>mtp3</c>, <c>ccb-NIXL</c>, <c>pp4</c>,
/// <c>con1024</c>) with the content. The content is authoritative; a mismatch is a warning.
/// Tokens that are not recognised (model names, GPU prefixes) are ignored.
/// </summary>
public static partial class FileNameLint
{
    [GeneratedRegex(@"^(?<i>\d+)k(?<o>\d+)k$")] private static partial Regex KiloLengths();
    [GeneratedRegex(@"^(?<i>\d+)-(?<o>\d+)$")] private static partial Regex PlainLengths();
    [GeneratedRegex(@"^(?<k>ctx|gen|bs|eplb|pp|con)(?<n>\d+)$")] private static partial Regex Counted();
    [GeneratedRegex(@"^(?<k>dep|tep|tp)(?<n>\d+)$")] private static partial Regex Parallel();
    [GeneratedRegex(@"^mtp(?<n>\d+)(?:-.*)?$")] private static partial Regex Mtp();
    [GeneratedRegex(@"^ccb-(?<b>[A-Za-z]+)$")] private static partial Regex Backend();

    public static IReadOnlyList<ConfigError> Check(DisaggConfig c, YamlMappingNode root)
    {
        var warnings = new List<ConfigError>();
        var stem = Path.GetFileNameWithoutExtension(c.SourceFile);
        var role = "";
        void Warn(string path, string message) => warnings.Add(
            new ConfigError(c.SourceFile, ConfigValidator.LineOf(root, path), ConfigValidator.ColumnOf(root, path), path, message) { IsWarning = true });
        void Expect(string token, string path, long actual, long named)
        {
            if (actual != named) Warn(path, $"file name says '{token}' but the config has {actual}");
        }

        foreach (var token in stem.Split('_'))
        {
            Match m;
            if ((m = KiloLengths().Match(token)).Success)
            {
                var (i, o) = (Num(m, "i"), Num(m, "o"));
                if (!KiloMatches(c.Benchmark.InputLength, i))
                    Warn("benchmark.input_length", $"file name says '{token}' but input_length is {c.Benchmark.InputLength}");
                if (!KiloMatches(c.Benchmark.OutputLength, o))
                    Warn("benchmark.output_length", $"file name says '{token}' but output_length is {c.Benchmark.OutputLength}");
            }
            else if ((m = PlainLengths().Match(token)).Success)
            {
                Expect(token, "benchmark.input_length", c.Benchmark.InputLength, Num(m, "i"));
                Expect(token, "benchmark.output_length", c.Benchmark.OutputLength, Num(m, "o"));
            }
            else if ((m = Counted().Match(token)).Success)
            {
                var n = Num(m, "n");
                switch (m.Groups["k"].Value)
                {
                    case "ctx": role = "ctx"; Expect(token, "hardware.num_ctx_servers", c.Hardware.NumCtxServers, n); break;
                    case "gen": role = "gen"; Expect(token, "hardware.num_gen_servers", c.Hardware.NumGenServers, n); break;
                    case "bs": Expect(token, "worker_config.gen.max_batch_size", c.Gen.MaxBatchSize, n); break;
                    case "eplb": Expect(token, "worker_config.gen.moe_config.load_balancer.num_slots", c.Gen.EplbSlots, n); break;
                    case "pp": Expect(token, "worker_config.ctx.pipeline_parallel_size", c.Ctx.PipelineParallelSize, n); break;
                    case "con":
                        if (!c.Benchmark.ConcurrencyList.Contains((int)n))
                            Warn("benchmark.concurrency_list",
                                $"file name says '{token}' but the concurrency list is '{string.Join(' ', c.Benchmark.ConcurrencyList)}'");
                        break;
                }
            }
            else if ((m = Parallel().Match(token)).Success && role.Length > 0)
            {
                var w = role == "ctx" ? c.Ctx : c.Gen;
                Expect(token, $"worker_config.{role}.tensor_parallel_size", w.TensorParallelSize, Num(m, "n"));
                var kind = m.Groups["k"].Value;
                if (kind != "tp" && (kind == "dep") != w.EnableAttentionDp)
                    Warn($"worker_config.{role}.enable_attention_dp",
                        $"file name says '{token}' (attention DP {(kind == "dep" ? "on" : "off")}) "
                        + $"but enable_attention_dp is {(w.EnableAttentionDp ? "true" : "false")}");
            }
            else if ((m = Mtp().Match(token)).Success)
            {
                Expect(token, "worker_config.gen.speculative_config.num_nextn_predict_layers", c.Gen.MtpLayers, Num(m, "n"));
            }
            else if ((m = Backend().Match(token)).Success)
            {
                var named = m.Groups["b"].Value.ToUpperInvariant();
                if (named != c.Gen.CacheTransceiverBackend)
                    Warn("worker_config.gen.cache_transceiver_config.backend", $"file name says '{token}' but the backend is {c.Gen.CacheTransceiverBackend}");
            }
        }
        return warnings;
    }

    private static long Num(Match m, string group) => long.Parse(m.Groups[group].Value, CultureInfo.InvariantCulture);

    private static bool KiloMatches(int actual, long kilo) => actual == kilo * 1024 || actual == kilo * 1000;
}
