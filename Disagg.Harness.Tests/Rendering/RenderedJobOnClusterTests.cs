using System.Text.RegularExpressions;
using Disagg.Harness.Execution;
using Disagg.Harness.Rendering;
using Disagg.Harness.Tests.Fixtures;

namespace Disagg.Harness.Tests.Rendering;

/// <summary>Rendered jobs run for real on the local cluster: placement and quoting proven by what the processes saw.</summary>
[RequiresCluster(Needs.Slurm)]
[Category("cluster")]
[NonParallelizable]
public sealed partial class RenderedJobOnClusterTests
{
    private string _dump = "";
    private string _profile = "";
    private RunContext _context = null!;

    [OneTimeSetUp]
    public void CreateProfile()
    {
        _dump = Directory.CreateTempSubdirectory("disagg-dump-").FullName;
        // A profile that records what each process received (environment, arguments) before starting the simulator.
        var local = File.ReadAllText(Path.Combine(FixturePaths.RepoRoot, "clusters", "local.yaml"));
        var sim = "dotnet {repo}/Disagg.Sim/bin/Debug/net10.0/Disagg.Sim.dll";
        local = local
            .Replace($"  worker: {sim} worker",
                $"  worker: bash -c 'env > \"$DUMP_DIR/{{role}}_{{index}}.env\"; exec \"$@\"' _ {sim} worker", StringComparison.Ordinal)
            .Replace($"  disagg_server: {sim}", $"  disagg_server: bash -c 'env > \"$DUMP_DIR/disagg.env\"; exec \"$@\"' _ {sim}", StringComparison.Ordinal)
            .Replace($"  benchmark_client: {sim} benchmark",
                "  benchmark_client: bash -c 'printf \"%s\\n\" \"$@\" > \"$DUMP_DIR/bench_args.txt\"; " +
                $"env > \"$DUMP_DIR/bench.env\"; exec \"$@\"' _ {sim} benchmark", StringComparison.Ordinal)
            + $"  DUMP_DIR: {_dump}\n";
        _profile = Path.Combine(_dump, "dump-profile.yaml");
        File.WriteAllText(_profile, local);
        _context = TestConfigs.LocalContext(_profile);
    }

    [OneTimeTearDown]
    public async Task Cleanup()
    {
        await _context.DisposeAsync();
        Directory.Delete(_dump, recursive: true);
    }

    [Test, CancelAfter(180_000)]
    public async Task Hostile_strings_arrive_intact_and_nothing_is_executed(CancellationToken token)
    {
        var marker = $"/tmp/disagg-pwned-{Guid.NewGuid():N}";
        var model = $"/models/$(touch {marker})`touch {marker}`;touch {marker}; 'q' \"dq\" * ?";
        var workerEnv = $"INJ_A=$(touch${{IFS}}{marker}) INJ_B=`touch${{IFS}}{marker}` INJ_C=;touch${{IFS}}{marker} INJ_D=* INJ_E='\"";
        var config = TestConfigs.Smoke("thresholds: []", text => text
            .Replace("  model_path: sim-tiny", $"  model_path: {Yaml(model)}", StringComparison.Ordinal)
            .Replace("  worker_env_var: \"TLLM_LOG_LEVEL=INFO TRTLLM_SERVER_DISABLE_GC=1 TRTLLM_WORKER_DISABLE_GC=1\"",
                $"  worker_env_var: {Yaml(workerEnv)}", StringComparison.Ordinal)
            .Replace("  dataset_file: \"\"",
                $"  dataset_file: \"\"\n  env_var:\n    INJ_BENCH: {Yaml($"line1\nline2 $(touch {marker}) `id`")}", StringComparison.Ordinal));

        var result = await Pipelines.RunAsync(_context, config, "hostile_strings", line => TestContext.Progress.WriteLine("  " + line), token);

        var ctxEnv = await File.ReadAllTextAsync(Path.Combine(_dump, "ctx_0.env"), token);
        var benchArgs = await File.ReadAllLinesAsync(Path.Combine(_dump, "bench_args.txt"), token);
        var benchEnv = await File.ReadAllTextAsync(Path.Combine(_dump, "bench.env"), token);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(File.Exists(marker), Is.False, "a value from the config was executed by the job");
            Assert.That(result.Problems, Is.Empty);
            Assert.That(ctxEnv, Does.Contain($"INJ_A=$(touch${{IFS}}{marker})\n"));
            Assert.That(ctxEnv, Does.Contain($"INJ_B=`touch${{IFS}}{marker}`\n"));
            Assert.That(ctxEnv, Does.Contain($"INJ_C=;touch${{IFS}}{marker}\n"));
            Assert.That(ctxEnv, Does.Contain("INJ_D=*\n"));
            Assert.That(ctxEnv, Does.Contain("INJ_E='\"\n"));
            Assert.That(benchArgs[Array.IndexOf(benchArgs, "--model") + 1], Is.EqualTo(model));
            Assert.That(benchEnv, Does.Contain($"INJ_BENCH=line1\nline2 $(touch {marker}) `id`\n"));
        }
    }

    [Test]
    public void A_line_break_in_an_sbatch_value_is_refused_before_submission()
    {
        // The loader refuses it at its line (a job name is a name); the renderer refuses it too when a config is built in code.
        var loaded = Assert.Throws<Disagg.Harness.Configuration.ConfigException>(() =>
            TestConfigs.Smoke("thresholds: []",
                text => text.Replace("  job_name: disagg-smoke", "  job_name: \"a\\n#SBATCH --wrap=id\"", StringComparison.Ordinal)));
        Assert.That(loaded!.Errors.Single().ToString(), Does.Contain(":14:13: slurm.job_name: 'a\\n#SBATCH --wrap=id' is not a valid job name"));
        var config = TestConfigs.Smoke("thresholds: []");
        config = config with { Slurm = config.Slurm with { JobName = "a\n#SBATCH --wrap=id" } };
        var e = Assert.Throws<Disagg.Harness.Configuration.ConfigException>(() =>
            JobRenderer.Render(config, _context.Profile, new RenderContext("t", "/w", "c.yaml")));
        Assert.That(e!.Message, Does.Contain("contains a line break"));
    }

    [Test, CancelAfter(180_000)]
    public async Task Two_ctx_and_two_gen_servers_run_on_the_four_nodes_the_renderer_chose(CancellationToken token)
    {
        var config = TestConfigs.Smoke("thresholds: []", text => text
            .Replace("  num_ctx_servers: 1\n  num_gen_servers: 1", "  num_ctx_servers: 2\n  num_gen_servers: 2", StringComparison.Ordinal)
            .Replace("    tensor_parallel_size: 1", "    tensor_parallel_size: 4", StringComparison.Ordinal)
            .Replace("  concurrency_list: \"1 4\"", "  concurrency_list: \"2\"", StringComparison.Ordinal));

        var result = await Pipelines.RunAsync(_context, config, "two_by_two", line => TestContext.Progress.WriteLine("  " + line), token);

        // GEN servers first, as upstream's allocate_gpus places them (docs/upstream-conformance.md).
        var expected = new Dictionary<string, string>
            { ["gen_server_0"] = "node1", ["gen_server_1"] = "node2", ["ctx_server_0"] = "node3", ["ctx_server_1"] = "node4" };
        var serverConfig = await File.ReadAllTextAsync(Path.Combine(result.Workspace, JobFiles.ServerConfig), token);
        var ports = PortPattern().Matches(serverConfig).Select(m => m.Groups[1].Value).ToList();
        using (Assert.EnterMultipleScope())
        {
            Assert.That(result.Problems, Is.Empty);
            Assert.That(result.Outcome?.Nodes, Is.EqualTo("node[1-4]"));
            foreach (var (server, node) in expected)
            {
                var log = await File.ReadAllTextAsync(Path.Combine(result.Workspace, server + ".log"), token);
                Assert.That(log, Does.Contain($"0: SLURM_PROCID: 0, hostname: ").And.Contains($"node: {node}, instance_id: {server[^1]}"), server);
                Assert.That(Regex.Matches(log, @"^\d+: SLURM_PROCID: \d+", RegexOptions.Multiline), Has.Count.EqualTo(4), $"{server} runs 4 ranks (tp 4)");
            }
            Assert.That(ports, Has.Count.EqualTo(5), serverConfig);
            Assert.That(ports, Is.Unique, "every server and the disagg server need their own port");
            Assert.That(result.Benchmark!.Blocks.Single().Concurrency, Is.EqualTo(4), "concurrency = list value x num_gen_servers");
        }
    }

    [GeneratedRegex(@"(?:127\.0\.0\.1:|port: )(\d+)")] private static partial Regex PortPattern();

    private static string Yaml(string value) =>
        "\"" + value.Replace("\\", "\\\\", StringComparison.Ordinal)
            .Replace("\"", "\\\"", StringComparison.Ordinal)
            .Replace("\n", "\\n", StringComparison.Ordinal) + "\"";
}
