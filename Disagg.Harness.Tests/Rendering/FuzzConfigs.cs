using Disagg.Harness.Tests.Fixtures;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Disagg.Harness.Tests.Rendering;

/// <summary>
/// The configs the renderer fuzz test starts from, together using every feature that puts config text into a script
/// (containers, install step, nsys and numactl wrappers, accuracy steps in both forms with env_var and extra_kwargs,
/// every environment section, dataset file, the SA client, the DWDP job), and the mutation that replaces strings and keys
/// anywhere in them with <see cref="HostileStrings"/>.
/// </summary>
public static class FuzzConfigs
{
    public sealed record Base(string Name, string Text, string ProfileKind);

    private static string Smoke => File.ReadAllText(FixturePaths.Fixture("configs", "smoke.yaml"));

    private static string Edit(string text, params (string Find, string Replace)[] edits)
    {
        foreach (var (find, replace) in edits)
        {
            if (!text.Contains(find, StringComparison.Ordinal)) throw new InvalidOperationException($"fuzz base edit no longer applies: {find}");
            text = text.Replace(find, replace, StringComparison.Ordinal);
        }
        return text;
    }

    private const string Environment = """
        environment:
          container_image: "/images/trtllm.sqsh"
          container_mount: "/lustre:/lustre,/data:/data"
          model_path: /models/sim-tiny
          trtllm_repo: ""
          build_wheel: false
          cuda_architectures: "100-real"
          trtllm_wheel_path: /wheels/tensorrt_llm.whl
          work_dir: /work
          log_dir: /logs
          worker_env_var: "TLLM_LOG_LEVEL=INFO TRTLLM_SERVER_DISABLE_GC=1"
          ctx_worker_env_var:
            CTX_ONLY: "ctx value"
          gen_worker_env_var:
            GEN_ONLY: "gen value"
          server_env_var: "TRTLLM_SERVER_DISABLE_GC=1"
        profiling:
          nsys_on: true
          ctx_profile_range: "10-30"
          gen_profile_range: "200-250"
        accuracy:
          enable_accuracy_test: true
          env_var:
            HF_HOME: /hf
          tasks:
            gsm8k:
              model: local-completions
              model_args_extra: "num_concurrent=8,max_retries=1"
              extra_kwargs:
                trust_remote_code: true
                num_fewshot: 5
            mmlu:
              model: local-chat-completions

        """;

    private const string SmokeEnvironment = """
        environment:
          container_image: ""
          container_mount: ""
          model_path: sim-tiny
          trtllm_repo: ""
          build_wheel: false
          worker_env_var: "TLLM_LOG_LEVEL=INFO TRTLLM_SERVER_DISABLE_GC=1 TRTLLM_WORKER_DISABLE_GC=1"
          server_env_var: "TRTLLM_SERVER_DISABLE_GC=1"
        profiling:
          nsys_on: false
        accuracy:
          enable_accuracy_test: false

        """;

    public static IReadOnlyList<Base> Bases()
    {
        var smoke = Smoke;
        var start = smoke.IndexOf("environment:", StringComparison.Ordinal);
        var end = smoke.IndexOf("# Disagg's own section", StringComparison.Ordinal);
        if (smoke[start..end] != SmokeEnvironment.Replace("\r", "", StringComparison.Ordinal))
            throw new InvalidOperationException("smoke.yaml's environment..accuracy block changed; update FuzzConfigs");
        var full = smoke[..start] + Environment + smoke[end..];
        full = Edit(full,
            ("  partition: <partition>", "  partition: batch"),
            ("  account: <account>", "  account: acct"),
            ("  numa_bind: false", "  numa_bind: true"),
            ("  dataset_file: \"\"", "  dataset_file: /data/dataset.json\n  env_var:\n    BENCH_ENV: \"bench value\""));
        var legacy = Edit(full,
            ("  tasks:\n    gsm8k:\n      model: local-completions\n      model_args_extra: \"num_concurrent=8,max_retries=1\"\n" +
             "      extra_kwargs:\n        trust_remote_code: true\n        num_fewshot: 5\n    mmlu:\n      model: local-chat-completions\n",
             "  tasks: \"gsm8k mmlu\"\n  model: local-completions\n  model_args_extra: \"num_concurrent=8\"\n"),
            ("  mode: e2e", "  mode: gen_only"),
            ("  ctx_worker_env_var:\n    CTX_ONLY: \"ctx value\"", "  ctx_worker_env_var: \"CTX_ONLY=ctx\""),
            ("  nsys_on: true", "  nsys_on: false"));
        // The SA client takes the lengths and ratio itself; the DWDP job renders one MPI step over every rank.
        var sa = Edit(full, ("  use_nv_sa_benchmark: false", "  use_nv_sa_benchmark: true\n  benchmark_ratio: 0.8"));
        var dwdp = File.ReadAllText(FixturePaths.Fixture("configs", "dwdp.yaml"));
        return
        [
            new("full-real", full, "real"), new("sa-sim", sa, "sim"), new("legacy-accuracy-gen-only", legacy, "real"), new("smoke-sim", smoke, "sim"),
            new("dwdp-real", dwdp, "real"),
            // Not mutated (no place in RendererFuzzTests' schedule), only run for the expected set: the DWDP config's
            // layout without DWDP, which a mutated DWDP config turns into when its dwdp_config key is hit.
            new("dwdp-layout-regular", DropDwdp(dwdp), "real"),
        ];
    }

    private static string DropDwdp(string text)
    {
        var start = text.IndexOf("    dwdp_config:\n", StringComparison.Ordinal);
        if (start < 0) throw new InvalidOperationException("dwdp.yaml has no dwdp_config; update FuzzConfigs");
        var end = start + "    dwdp_config:\n".Length;
        while (end < text.Length && text.AsSpan(end).StartsWith("      ", StringComparison.Ordinal)) end = text.IndexOf('\n', end) + 1;
        return text[..start] + text[end..];
    }

    /// <summary>A config of the fuzz test: its text, the edits that made it, and the test id it is rendered as.</summary>
    public sealed record Generated(Base Base, string Text, IReadOnlyList<string> Edits, string TestId = "fuzz_test");

    /// <summary>
    /// The injections of issue 15, exactly as found, as the first configs of the fuzz test: an environment name with a
    /// command substitution, mapping keys with separators under worker_env_var and benchmark.env_var, an accuracy task
    /// as a string and as a key, and a test id (from a config file name) with a line break.
    /// </summary>
    public static IReadOnlyList<Generated> IssueInjections()
    {
        var full = Bases()[0];
        var legacy = Bases()[2];
        Generated Of(Base b, string edit, string find, string replace) => new(b, Edit(b.Text, (find, replace)), [edit]);
        return
        [
            Of(full, "worker_env_var: \"$(touch${IFS}pwned)=1\"", "  worker_env_var: \"TLLM_LOG_LEVEL=INFO TRTLLM_SERVER_DISABLE_GC=1\"",
                "  worker_env_var: \"$(touch${IFS}pwned)=1\""),
            Of(full, "worker_env_var key \"X; touch pwned; Y\"", "  worker_env_var: \"TLLM_LOG_LEVEL=INFO TRTLLM_SERVER_DISABLE_GC=1\"",
                "  worker_env_var:\n    \"X; touch pwned; Y\": 1"),
            Of(full, "benchmark.env_var key \"X; touch pwned; Y\"", "    BENCH_ENV: \"bench value\"", "    \"X; touch pwned; Y\": 1"),
            Of(legacy, "accuracy task string \"gsm8k;touch${IFS}pwned\"", "  tasks: \"gsm8k mmlu\"", "  tasks: \"gsm8k;touch${IFS}pwned\""),
            Of(full, "accuracy task key \"gsm8k;touch${IFS}pwned\"", "    gsm8k:\n      model: local-completions",
                "    \"gsm8k;touch${IFS}pwned\":\n      model: local-completions"),
            new(full, full.Text, ["config file name \"smoke\\ntouch pwned.yaml\" (the test id)"], "smoke\ntouch pwned"),
        ];
    }

    /// <summary>The profiles: example-real and local with the disagg server on <paramref name="healthPort"/>.</summary>
    public static string Profile(string kind, int healthPort)
    {
        var portBase = healthPort - Disagg.Harness.Rendering.Placement.DisaggPortOffset;
        var root = FixturePaths.RepoRoot;
        return kind == "real"
            ? Edit(File.ReadAllText(Path.Combine(root, "clusters", "example-real.yaml")),
                ("node_address: hostname", "node_address: nodeaddr"),
                ("port_base: 8000 ", $"port_base: {portBase} "),
                ("  DISAGG_SERVER_START_TIMEOUT_S: \"1800\"", "  DISAGG_SERVER_START_TIMEOUT_S: \"20\""))
            : Edit(File.ReadAllText(Path.Combine(root, "clusters", "local.yaml")),
                ("port_base: per_job ", $"port_base: {portBase} "),
                ("  DISAGG_SERVER_START_TIMEOUT_S: \"120\"", "  DISAGG_SERVER_START_TIMEOUT_S: \"20\""));
    }

    /// <summary>
    /// <paramref name="text"/> with a few of its strings or keys (one to five, anywhere in the document) replaced by hostile
    /// strings; the YAML writer quotes them so that the loader reads back exactly the hostile string.
    /// </summary>
    public static (string Text, IReadOnlyList<string> Edits) Mutate(string text, Random random)
    {
        var stream = new YamlStream();
        stream.Load(new StringReader(text));
        var positions = new List<(YamlScalarNode Node, string Path, bool IsKey)>();
        Collect(stream.Documents[0].RootNode, "", positions);
        var count = random.NextDouble() switch { < 0.5 => 1, < 0.8 => 2, < 0.92 => 3, < 0.97 => 4, _ => 5 };
        var edits = new List<string>();
        for (var i = 0; i < count; i++)
        {
            var (node, path, isKey) = positions[random.Next(positions.Count)];
            var hostile = HostileStrings.All[random.Next(HostileStrings.All.Count)];
            node.Value = hostile;
            node.Style = ScalarStyle.DoubleQuoted;
            edits.Add($"{(isKey ? "key" : "value")} {path} = {Show(hostile)}");
        }
        var writer = new StringWriter { NewLine = "\n" };
        stream.Save(writer, assignAnchors: false);
        return (writer.ToString(), edits);
    }

    /// <summary>A string for a one-line report: controls escaped, long strings cut.</summary>
    public static string Show(string text)
    {
        var escaped = string.Concat(text.Take(60).Select(c => char.IsControl(c) || c is '\u2028' ? $"\\u{(int)c:X4}" : c.ToString()));
        return text.Length > 60 ? $"{escaped}... ({text.Length} chars)" : escaped;
    }

    private static void Collect(YamlNode node, string path, List<(YamlScalarNode, string, bool)> positions)
    {
        switch (node)
        {
            case YamlScalarNode scalar:
                positions.Add((scalar, path, false));
                break;
            case YamlSequenceNode seq:
                for (var i = 0; i < seq.Children.Count; i++) Collect(seq.Children[i], $"{path}[{i}]", positions);
                break;
            case YamlMappingNode map:
                foreach (var (key, value) in map.Children)
                {
                    var name = (key as YamlScalarNode)?.Value ?? "?";
                    var child = path.Length == 0 ? name : $"{path}.{name}";
                    if (key is YamlScalarNode k) positions.Add((k, child, true));
                    Collect(value, child, positions);
                }
                break;
        }
    }
}
