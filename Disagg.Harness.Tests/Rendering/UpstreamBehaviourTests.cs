using Disagg.Harness.Cluster;
using Disagg.Harness.Configuration;
using Disagg.Harness.Rendering;
using Disagg.Harness.Tests.Fixtures;
using FluentAssertions;

namespace Disagg.Harness.Tests.Rendering;

/// <summary>
/// One test per behaviour of upstream's submit.py, disaggr_torch.slurm, start_worker.sh and run_benchmark*.sh that a
/// rendered job must reproduce (docs/upstream-conformance.md names these tests row by row).
/// </summary>
public sealed class UpstreamBehaviourTests
{
    private const string Workspace = "/lustre/results/run1/test";
    private const string GptOss = "test_configs/disagg/perf-sanity/gb200_gpt-oss-120b-fp4_1k1k_con512_ctx1_tp1_gen1_dep2_eplb0_mtp0_ccb-UCX.yaml";
    private const string NvSa = "test_configs/disagg/perf/Qwen3-235B-A22B-FP4_1k1k_ctx1_gen4_tep8_bs32_eplb0_mtp0_ccb-NIXL.yaml";
    private const string Nsys = "test_configs/disagg/perf/deepseek-r1-fp4_128k8k_ctx3_pp4_gen1_dep8_bs16_eplb0_mtp1-Default-python.yaml";
    private const string Accuracy = "test_configs/wideep/accuracy/deepseek-r1-fp4_1k1k_ctx2_gen1_dep16_bs128_eplb288_mtp3_ccb-NIXL.yaml";

    private static JobPlan Render(DisaggConfig config, ClusterProfile? profile = null) =>
        JobRenderer.Render(config, profile ?? UpstreamConfigs.TrtllmProfile(), new RenderContext("t", Workspace, "c.yaml"));

    private static DisaggConfig Resolved(string relative, Func<string, string?> extra) =>
        EnvironmentOverrides.Apply(UpstreamConfigs.Load(relative), n => extra(n) ?? UpstreamConfigs.Environment(relative)(n)).Config;

    // 1. submit.py: the environment overrides slurm.partition/account and always wins.
    [Test]
    public void Environment_partition_and_account_win_over_the_profile()
    {
        var overridden = Resolved(GptOss, n => n switch { "DISAGG_SLURM_PARTITION" => "gb200-x", "DISAGG_SLURM_ACCOUNT" => "perf-team", _ => null });
        var script = Render(overridden)[JobFiles.BatchScript].Content;
        script.Should().Contain("#SBATCH --partition=gb200-x\n#SBATCH --account=perf-team\n");
        Render(UpstreamConfigs.Resolved(GptOss))[JobFiles.BatchScript].Content
            .Should().Contain("#SBATCH --partition=batch\n#SBATCH --account=my-account\n", "without the variables the profile fills the placeholders");
    }

    // 2. run_benchmark_nv_sa.sh: the SA client, its flags, lengths in [len x ratio, len], and the failed count from result.json.
    [Test]
    public void Nv_sa_runs_the_sa_client_with_its_own_flags_and_prints_the_failed_count()
    {
        var script = Render(UpstreamConfigs.Resolved(NvSa))[JobFiles.BenchmarkScript].Content;
        script.Should().Contain("SA_CLIENT=(python /opt/bench_serving/benchmark_serving.py)");
        script.Should().Contain("\"${SA_CLIENT[@]}\" --model \"$MODEL\" --host \"$HOST\" --port \"$PORT\" " +
                                "--dataset-name random --num-prompts \"$num_prompts\" " +
                                "--max-concurrency \"$concurrency\" --trust-remote-code --ignore-eos --random-input-len 1024 --random-output-len 1024 " +
                                "--random-range-ratio 0.8 --save-result --use-chat-template --result-dir \"$result_dir\" --result-filename result.json");
        script.Split('\n').Where(l => l.Contains("\"${CLIENT[@]}\"", StringComparison.Ordinal))
            .Should().ContainSingle("only the warm-up uses the default client")
            .Which.Should().NotContain("--use-chat-template").And.NotContain("--random-range-ratio");
        script.Should().Contain("concurrency=$((value * 4))", "each list value is per gen server");
        var profile = UpstreamConfigs.TrtllmProfile() with { Commands = UpstreamConfigs.TrtllmProfile().Commands with { NvSaClient = null } };
        var e = Assert.Throws<ConfigException>(() => Render(UpstreamConfigs.Resolved(NvSa), profile))!;
        e.Errors.Single().Message.Should().Contain("has no commands.benchmark_client_nv_sa");
    }

    [Test]
    public void Nv_sa_failed_count_is_read_from_result_json_without_python()
    {
        var script = Render(UpstreamConfigs.Resolved(NvSa))[JobFiles.BenchmarkScript].Content;
        var function = script.Split('\n').Single(l => l.StartsWith("json_number()", StringComparison.Ordinal));
        var dir = Directory.CreateTempSubdirectory("disagg-sa-").FullName;
        File.WriteAllText(Path.Combine(dir, "result.json"), "{\"date\": \"x\", \"num_prompts\": 256, \"completed\": 250, \"max_concurrency\": 32}");
        var lines = script.Split('\n').SkipWhile(l => !l.StartsWith("  prompts=", StringComparison.Ordinal)).Take(3);
        var run = BashSnippet.Run(function + "\nresult_dir=" + dir + "\n" + string.Join('\n', lines));
        run.Out.Should().Be("Total failed requests: 6\n");
    }

    // 3. submit.py build_worker_environment: gen_only sets the queue size to the first concurrency on every GEN worker.
    [Test]
    public void Gen_only_queue_size_is_the_first_concurrency_on_every_gen_server()
    {
        var config = UpstreamConfigs.Resolved(NvSa);
        config = config with { Benchmark = config.Benchmark with { Mode = BenchmarkMode.GenOnly, UseNvSaBenchmark = false, DatasetFile = "/d.json" } };
        var plan = Render(config);
        for (var i = 0; i < 4; i++)
            plan[$"start_gen_server_{i}.sh"].Content
                .Should().Contain("export TRTLLM_DISABLE_KV_CACHE_TRANSFER_OVERLAP=1\nexport TLLM_BENCHMARK_REQ_QUEUES_SIZE=1\n");
        plan["start_ctx_server_0.sh"].Content.Should().Contain("TRTLLM_DISABLE_KV_CACHE_TRANSFER_OVERLAP=1").And.NotContain("TLLM_BENCHMARK_REQ_QUEUES_SIZE");
    }

    // 4. submit.py: accuracy.env_var exported to lm_eval, extra_kwargs as flags, custom_config staged with env substitution.
    [Test]
    public void Accuracy_exports_env_var_and_passes_extra_kwargs()
    {
        var script = Render(UpstreamConfigs.Resolved(Accuracy))[JobFiles.BatchScript].Content;
        var step = script.Split('\n').Single(l => l.StartsWith("run_step accuracy_gsm8k ", StringComparison.Ordinal));
        step.Should().Contain("bash -c 'export HF_HOME=/lustre/hf; lm_eval --model local-completions --tasks gsm8k --model_args ");
        step.Should().Contain("/v1/completions,num_concurrent=512,max_retries=3,tokenized_requests=false,timeout=7200,max_gen_toks=16384");
        step.Should().Contain("--output_path /lustre/results/run1/test/accuracy_eval_gsm8k --trust_remote_code'");
    }

    [Test]
    public void Custom_task_config_is_staged_with_every_env_var_replaced_and_other_kwargs_become_flags()
    {
        var text = File.ReadAllText(Path.Combine(UpstreamConfigs.Root, Accuracy)).Replace(
            "      extra_kwargs:\n        trust_remote_code: true\n",
            "      extra_kwargs:\n        custom_config: /cfg/gsm8k_local.yaml\n" +
            "        limit: 500\n        log_samples: false\n        apply_chat_template: true\n",
            StringComparison.Ordinal)
            .Replace("    HF_HOME: <hf_home_path>\n", "    HF_HOME: /hf\n    LLM_MODELS_ROOT: /models & co\n", StringComparison.Ordinal);
        var config = EnvironmentOverrides.Apply(ConfigLoader.Parse(text, "acc.yaml"), UpstreamConfigs.Environment(Accuracy)).Config;
        var script = Render(config)[JobFiles.BatchScript].Content;
        script.Should().Contain("stage_task_config /cfg/gsm8k_local.yaml " + Workspace
            + "/lm_eval_configs/gsm8k HF_HOME=/lustre/hf 'LLM_MODELS_ROOT=/models & co' || fail ",
            "DISAGG_HF_HOME overrides the config's HF_HOME");
        var step = script.Split('\n').Single(l => l.StartsWith("run_step accuracy_gsm8k ", StringComparison.Ordinal));
        step.Should().Contain(" --include_path=" + Workspace + "/lm_eval_configs/gsm8k --limit=500 --apply_chat_template'").And.NotContain("log_samples=");

        var function = script[script.IndexOf("stage_task_config() {", StringComparison.Ordinal)
            ..script.IndexOf("\n}\n", script.IndexOf("stage_task_config() {", StringComparison.Ordinal), StringComparison.Ordinal)] + "\n}\n";
        var dir = Directory.CreateTempSubdirectory("disagg-stage-").FullName;
        File.WriteAllText(Path.Combine(dir, "task.yaml"), "dataset_path: LLM_MODELS_ROOT/gsm8k\ncache: HF_HOME/x\n");
        File.WriteAllText(Path.Combine(dir, "utils.py"), "x = 1\n");
        var run = BashSnippet.Run(function + $"stage_task_config {dir}/task.yaml {dir}/out HF_HOME=/hf 'LLM_MODELS_ROOT=/models & co' " +
            $"&& cat {dir}/out/task.yaml && ls {dir}/out");
        run.Out.Should().Be("dataset_path: /models & co/gsm8k\ncache: /hf/x\ntask.yaml\nutils.py\n", "every name is replaced, not only the last one");
    }

    // 5. A placeholder nothing filled is an error naming the variable (also UpstreamConfigTests, CliCommandTests).
    [Test]
    public void Render_refuses_a_config_with_an_unresolved_placeholder_and_names_the_variable()
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var code = Disagg.Harness.Cli.RenderCommand.Run(
            new(Path.Combine(UpstreamConfigs.Root, GptOss), "real", Path.Combine(Path.GetTempPath(), "disagg-none")),
            FixturePaths.RepoRoot, _ => null, output, error);
        code.Should().Be(Disagg.Harness.Cli.ExitCodes.BadInput);
        error.ToString().Should().Contain("environment.model_path: is the placeholder '<model_path>' and nothing replaced it: set DISAGG_MODEL_DIR")
            .And.Contain("render: nothing was written");
    }

    // 6. start_worker.sh: UCX_TLS cleared, or re-pinned from TRTLLM_WORKER_UCX_TLS (and the interface from ..._NET_DEVICES).
    [TestCase("", "", "unset|eth9")]
    [TestCase("rc,cuda_copy", "", "rc,cuda_copy|eth9")]
    [TestCase("tcp", "eth0", "tcp|eth0")]
    public void Worker_clears_or_repins_ucx_tls(string tls, string devices, string expected)
    {
        var config = UpstreamConfigs.Resolved(GptOss);
        var env = new List<string>();
        if (tls.Length > 0) env.Add("TRTLLM_WORKER_UCX_TLS=" + tls);
        if (devices.Length > 0) env.Add("TRTLLM_WORKER_UCX_NET_DEVICES=" + devices);
        var text = File.ReadAllText(Path.Combine(UpstreamConfigs.Root, GptOss))
            .Replace("  server_env_var: TRTLLM_SERVER_DISABLE_GC=1\n",
                $"  gen_worker_env_var: \"{string.Join(' ', env)}\"\n  server_env_var: TRTLLM_SERVER_DISABLE_GC=1\n", StringComparison.Ordinal);
        config = EnvironmentOverrides.Apply(ConfigLoader.Parse(text, "g.yaml"), UpstreamConfigs.Environment(GptOss)).Config;
        var launcher = Render(config)["start_gen_server_0.sh"].Content.Split('\n');
        var exports = launcher.Where(l => l.StartsWith("export TRTLLM_WORKER_UCX", StringComparison.Ordinal) ||
                                          l.Contains("UCX_TLS", StringComparison.Ordinal) ||
                                          l.Contains("UCX_NET_DEVICES", StringComparison.Ordinal));
        var run = BashSnippet.Run(string.Join('\n', exports) + "\necho \"${UCX_TLS-unset}|${UCX_NET_DEVICES-unset}\"",
            new Dictionary<string, string> { ["UCX_TLS"] = "from-container", ["UCX_NET_DEVICES"] = "eth9" });
        run.Out.Should().Be(expected + "\n");
    }

    // 7. start_worker.sh: nsys outside trtllm-llmapi-launch, numactl inside, --gpu-metrics-devices=none.
    [Test]
    public void Nsys_wraps_the_launcher_with_gpu_metrics_off()
    {
        var launcher = Render(UpstreamConfigs.Resolved(Nsys))["start_ctx_server_0.sh"].Content;
        launcher.Should().Contain("exec nsys profile -o /lustre/results/run1/test/nsys_worker_proc_CTX_0_\"${SLURM_PROCID:-0}\" " +
                                  "-f true -t cuda,nvtx,python-gil " +
                                  "-c cudaProfilerApi --cuda-graph-trace node --capture-range-end=stop --gpu-metrics-devices=none " +
                                  "trtllm-llmapi-launch numactl -m 0,1 trtllm-serve /lustre/models/DeepSeek-R1-0528-FP4-v2 ");
        launcher.Should().Contain("export TLLM_PROFILE_START_STOP=26-32").And.NotContain("--gpu-metrics-devices=all");
    }

    // 8. submit.py allocate_gpus: GEN first on one GPU cursor; disagg server and client on GEN_0's node.
    [Test]
    public void Gen_servers_are_placed_first_and_roles_share_a_node_as_upstreams_cursor_does()
    {
        var plan = Render(UpstreamConfigs.Resolved(GptOss));
        plan.Placement.Servers.Select(s => (s.Name, s.FirstNode, string.Join(',', s.FirstNodeGpus), s.PortOffset)).Should().Equal(
            ("gen_server_0", 0, "0,1", 0), ("ctx_server_0", 0, "2", 1));
        plan.Placement.TotalNodes.Should().Be(2, "ceil(1/4) ctx nodes + ceil(2/4) gen nodes, as submit.py allocates");
        plan["start_ctx_server_0.sh"].Content.Should().Contain("export CUDA_VISIBLE_DEVICES=2\n");
        var script = plan[JobFiles.BatchScript].Content;
        script.Should().Contain("DISAGG_NODE=\"${NODES[0]}\"").And.Contain("start_step disagg_server disagg_server.log -l --nodelist=\"$DISAGG_NODE\"");
        script.IndexOf("start_step gen_server_0", StringComparison.Ordinal)
            .Should().BeLessThan(script.IndexOf("start_step ctx_server_0", StringComparison.Ordinal));
    }

    [Test]
    public void A_server_that_would_straddle_a_node_starts_on_the_next_one()
    {
        var placement = Placement.Compute(gpusPerNode: 4, ctxServers: 2, ctxWorld: 4, genServers: 1, genWorld: 2);
        placement.Servers.Select(s => (s.Name, s.FirstNode, s.NodeCount, string.Join(',', s.FirstNodeGpus))).Should().Equal(
            ("gen_server_0", 0, 1, "0,1"), ("ctx_server_0", 1, 1, "0,1,2,3"), ("ctx_server_1", 2, 1, "0,1,2,3"));
        placement.TotalNodes.Should().Be(3);
        placement.FrontNode.Should().Be(0);
    }

    // disaggr_torch.slurm: a wheel is installed on every node; a source tree is built on one node, then installed editable everywhere.
    [Test]
    public void Install_steps_follow_the_wheel_or_the_source_tree()
    {
        var config = UpstreamConfigs.Resolved(GptOss);
        var wheel = Render(config with { Environment = config.Environment with { TrtllmWheelPath = "/w/tensorrt_llm.whl" } })[JobFiles.BatchScript].Content;
        wheel.Should().Contain("run_step install install.log -l -N \"$SLURM_NNODES\" --ntasks=\"$SLURM_NNODES\" --ntasks-per-node=1 --overlap --mpi=pmix")
            .And.Contain("/w/tensorrt_llm.whl[devel]");
        var repo = Render(
            config with { Environment = config.Environment with { TrtllmRepo = "/src/trtllm", BuildWheel = true } })[JobFiles.BatchScript].Content;
        repo.Should().Contain("run_step build install.log -l -N 1 --ntasks=1")
            .And.Contain("cd /src/trtllm && python3 ./scripts/build_wheel.py --trt_root /usr/local/tensorrt --benchmarks --use_ccache --clean")
            .And.Contain("JOB_LOG_APPEND=1 run_step install install.log -l -N \"$SLURM_NNODES\"");
        repo.IndexOf("== TensorRT-LLM on", StringComparison.Ordinal).Should().BeGreaterThan(repo.IndexOf("run_step install", StringComparison.Ordinal),
            "the version is recorded from what the install step left");
    }

    // disaggr_torch.slurm / submit.py: gen_only_no_context sets TRTLLM_DISAGG_BENCHMARK_GEN_ONLY=1 and runs no ctx worker.
    [Test]
    public void Gen_only_no_context_runs_no_ctx_server_and_flags_workers_and_server()
    {
        var config = UpstreamConfigs.Resolved(GptOss);
        var plan = Render(config with { Benchmark = config.Benchmark with { Mode = BenchmarkMode.GenOnlyNoContext } });
        plan.Placement.Servers.Select(s => s.Name).Should().Equal("gen_server_0");
        plan.Placement.TotalNodes.Should().Be(1, "deliberately: no node is allocated for ctx servers that never start");
        plan["start_gen_server_0.sh"].Content.Should().Contain("export TRTLLM_DISAGG_BENCHMARK_GEN_ONLY=1\n");
        plan[JobFiles.DisaggServerLauncher].Content.Should().Contain("export TRTLLM_DISAGG_BENCHMARK_GEN_ONLY=1\n");
        plan[JobFiles.BatchScript].Content.Should().Contain("context_servers:\n  num_instances: 0\n  urls: []\n");
    }

    // submit.py: the SA client is refused in gen_only mode.
    [Test]
    public void Sa_client_in_gen_only_mode_is_refused()
    {
        var text = File.ReadAllText(Path.Combine(UpstreamConfigs.Root, NvSa)).Replace("  mode: e2e\n", "  mode: gen_only\n", StringComparison.Ordinal);
        var e = Assert.Throws<ConfigException>(() => ConfigLoader.Parse(text, "sa.yaml"))!;
        e.Errors.Select(x => x.ToString())
            .Should().Contain(x => x.Contains("benchmark.use_nv_sa_benchmark: the nv_sa client is not supported in gen_only mode", StringComparison.Ordinal));
    }

    // submit.py: benchmark.env_var reaches the client's environment.
    [Test]
    public void Benchmark_env_var_is_exported_to_the_client()
    {
        var text = File.ReadAllText(Path.Combine(UpstreamConfigs.Root, GptOss))
            .Replace("  streaming: true\n",
                "  streaming: true\n  env_var:\n    TRTLLM_PATH_PREPEND: /opt/venv/bin\n    HF_TOKEN_PATH: /tmp/t\n", StringComparison.Ordinal);
        var config = EnvironmentOverrides.Apply(ConfigLoader.Parse(text, "b.yaml"), UpstreamConfigs.Environment(GptOss)).Config;
        Render(config)[JobFiles.BenchmarkScript].Content.Should().Contain(
            "export TRTLLM_PATH_PREPEND=/opt/venv/bin\nexport HF_TOKEN_PATH=/tmp/t\n" +
            "if [ -n \"${TRTLLM_PATH_PREPEND:-}\" ]; then export PATH=\"$TRTLLM_PATH_PREPEND:$PATH\"; fi\n");
    }

    // run_benchmark.sh do_process_all_logs: each concurrency's new context-only / generation-only iteration lines per server.
    [Test]
    public void Each_concurrency_keeps_the_iteration_lines_its_servers_printed_meanwhile()
    {
        var script = Render(UpstreamConfigs.Resolved(GptOss))[JobFiles.BenchmarkScript].Content.Split('\n');
        var functions = string.Join('\n', script.Where(l => l.StartsWith("mark_logs()", StringComparison.Ordinal)
            || l.StartsWith("slice_log()", StringComparison.Ordinal)));
        var mark = script.Single(l => l.Contains("mapfile -t log_lines", StringComparison.Ordinal));
        var slices = script.Where(l => l.TrimStart().StartsWith("slice_log ", StringComparison.Ordinal)).ToList();
        slices.Should().HaveCount(2);
        var workspace = Directory.CreateTempSubdirectory("disagg-iter-").FullName;
        const string ctxIter = "iter = 7, states = {'num_ctx_requests': 2, 'num_ctx_tokens': 2048, 'num_generation_tokens': 0}";
        const string genIter = "iter = 9, states = {'num_ctx_requests': 0, 'num_ctx_tokens': 0, 'num_generation_tokens': 16}";
        File.WriteAllText(Path.Combine(workspace, "ctx_server_0.log"), ctxIter.Replace("7", "1", StringComparison.Ordinal) + "\nloading\n");
        File.WriteAllText(Path.Combine(workspace, "gen_server_0.log"), genIter.Replace("9", "2", StringComparison.Ordinal) + "\n");
        var result = Path.Combine(workspace, "concurrency_8");
        Directory.CreateDirectory(result);
        string[] lines =
        [
            $"WORKSPACE={workspace}", $"result_dir={result}", functions, mark.Trim(),
            $"echo \"{ctxIter}\" >> {workspace}/ctx_server_0.log", $"echo \"{genIter}\" >> {workspace}/gen_server_0.log",
            $"echo noise >> {workspace}/gen_server_0.log", .. slices.Select(l => l.Trim()),
        ];
        var run = BashSnippet.Run(string.Join('\n', lines));
        run.Code.Should().Be(0, run.Err);
        File.ReadAllText(Path.Combine(result, "ctx_only_0.txt")).Should().Be(ctxIter + "\n", "only the lines printed during this concurrency");
        File.ReadAllText(Path.Combine(result, "gen_only_0.txt")).Should().Be(genIter + "\n");
    }
}
