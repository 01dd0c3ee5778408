using Disagg.Harness.Reporting;

namespace Disagg.Harness.Tests.Reporting;

/// <summary>The run-environment block of report.html and summary.md, from the files a run leaves in its results folder.</summary>
public sealed class RunEnvironmentTests
{
    private string _dir = "";

    [SetUp]
    public void CreateFolder() => _dir = Directory.CreateTempSubdirectory("disagg-env-").FullName;

    [TearDown]
    public void RemoveFolder() => Directory.Delete(_dir, recursive: true);

    private TestReport Test(string id, string? nodes, params (string Name, string Text)[] files)
    {
        var folder = Path.Combine(_dir, id);
        Directory.CreateDirectory(folder);
        foreach (var (name, text) in files) File.WriteAllText(Path.Combine(folder, name), text);
        return new TestReport { TestId = id, Passed = true, Folder = id, Nodes = nodes };
    }

    [Test]
    public void A_real_gpu_run_shows_commit_image_version_gpu_driver_and_nodes()
    {
        File.WriteAllText(Path.Combine(_dir, RunEnvironment.FileName), "commit=9c0ffee\ngpu_type=GB200\n");
        var tests = new[]
        {
            Test("a", "gb-[001-002]",
                ("resolved_config.json", """{"environment": {"container_image": "nvcr.io/nvidia/tensorrt-llm/release:1.2.0rc2"}}"""),
                // system_facts.txt as SystemFactsStep writes it: srun -l prefixes, nvidia-smi CSV without header.
                ("system_facts.txt", "0: == node gb-001 (hostname gb-001)\n0: cpu: Neoverse-V2\n0: 0, NVIDIA GB200, 570.124.06, 189471 MiB\n" +
                                     "0: 1, NVIDIA GB200, 570.124.06, 189471 MiB\n0: CUDA Version                              : 12.8\n"),
                ("gen_server_0.log", "0: [TensorRT-LLM] TensorRT-LLM version: 1.2.0rc2\n0: INFO: Started server process\n")),
            Test("b", "gb-[003-004]"),
        };

        var env = RunEnvironment.Read(_dir, tests);

        Assert.That(env, Is.EqualTo(new RunEnvironment("9c0ffee", "nvcr.io/nvidia/tensorrt-llm/release:1.2.0rc2", "1.2.0rc2", "NVIDIA GB200", "570.124.06",
            "gb-[001-002], gb-[003-004]")));
    }

    [Test]
    public void A_folder_without_records_says_unknown_for_every_fact()
    {
        var env = RunEnvironment.Read(_dir, [Test("a", nodes: null)]);
        Assert.That(env.Rows.Select(r => r.Value), Has.All.StartWith(RunEnvironment.Unknown));
        Assert.That(env.Gpu, Is.EqualTo("unknown (no system_facts.txt)"));
    }

    [Test]
    public void The_simulator_on_the_local_cluster_says_why_gpu_and_driver_are_unknown()
    {
        // As the local cluster writes it: no NVIDIA driver, no container, the simulator's version line.
        File.WriteAllText(Path.Combine(_dir, RunEnvironment.FileName), "commit=unknown\ngpu_type=GB200\n");
        var test = Test("a", "node[3-4]",
            ("resolved_config.json", """{"environment": {"container_image": ""}}"""),
            ("system_facts.txt", "0: == node node3 (hostname vm)\n0: nvidia-smi: unavailable on this node (no NVIDIA driver)\n0: gpus (slurm): 0,1,2,3\n"),
            ("ctx_server_0.log", "0: [12/06/2026-23:46:19] [TRT-LLM] [I] Starting TensorRT-LLM init. Version: 1.2.0rc2\n"));

        var env = RunEnvironment.Read(_dir, [test]);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(env.Commit, Is.EqualTo("unknown"));
            Assert.That(env.Image, Is.EqualTo("none (no container)"));
            Assert.That(env.TrtllmVersion, Is.EqualTo("1.2.0rc2"));
            Assert.That(env.Gpu, Is.EqualTo("GB200 (GPU_TYPE; nvidia-smi unavailable on the nodes)"));
            Assert.That(env.Driver, Is.EqualTo("unknown (nvidia-smi unavailable on the nodes)"));
            Assert.That(env.Nodes, Is.EqualTo("node[3-4]"));
        }
    }

    [Test]
    public void Summary_md_carries_the_same_facts()
    {
        var run = new RunReport(_dir, []) { Environment = new RunEnvironment("abc123", "img:1", "1.2.0", "NVIDIA H100", "550.54.15", "n[1-2]") };
        Assert.That(MarkdownSummary.Render(run),
            Does.Contain("commit `abc123` · image `img:1` · TRT-LLM version `1.2.0` · GPU `NVIDIA H100` · driver `550.54.15` · nodes `n[1-2]`"));
    }
}
