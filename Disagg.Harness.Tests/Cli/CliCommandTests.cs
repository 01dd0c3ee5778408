using System.Reflection;
using Disagg.Harness.Catalog;
using Disagg.Harness.Tests.Fixtures;
using FluentAssertions;

namespace Disagg.Harness.Tests.Cli;

/// <summary>The validate and list verbs, run in-process, and the parser of every verb (the built disagg.dll, loaded in-process).</summary>
public sealed class CliCommandTests
{
    private static (int Code, string Out, string Err) Run(Func<TextWriter, TextWriter, int> command)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var code = command(output, error);
        return (code, output.ToString(), error.ToString());
    }

    [Test]
    public void Validate_prints_every_error_and_exits_1()
    {
        var (code, output, _) = Run((o, e) => Commands.Validate([FixturePaths.Fixture("samples")], o, e, UpstreamConfigs.Environment("samples")));
        code.Should().Be(1);
        output.Should().Contain("deepseek-r1-fp4_1k1k_ctx2_gen1_dep16_bs128_eplb288_mtp3_ccb-NIXL.yaml:25:21: " +
            "benchmark.concurrency_list: concurrency 2150 exceeds");
        // The sample list names the old harness's configs, which are not in the samples folder.
        output.Should().Contain("disagg.txt:1:1: 'disagg_perf_deepseek-r1-fp4_1k1k_ctx1_gen4_tep8_bs32_eplb0_mtp0_ccb-UCX' matches no config under configs");
        output.Should().EndWith($"4 file(s) checked: 57 error(s), 0 warning(s){Environment.NewLine}");
    }

    [Test]
    public void Validate_checks_a_config_as_a_run_would_see_it_and_names_the_variable_to_set()
    {
        var sample = FixturePaths.Fixture("samples", "gb200-deepseek-r1-fp4_1k1k_ctx1_dep4_gen1_dep8_eplb0_mtp0_ccb-UCX.yaml");
        var (code, output, _) = Run((o, e) => Commands.Validate([sample], o, e, _ => null));
        code.Should().Be(1);
        output.Should().Be(
            $"{sample}:36:15: environment.model_path: is the placeholder '<model_path>' and nothing replaced it: " +
            "set DISAGG_MODEL_DIR (the model root; model_path = DISAGG_MODEL_DIR/DeepSeek-R1-0528-FP4-v2) " +
            "or write the model path into the config" + Environment.NewLine +
            $"{sample}:35:20: environment.container_image: is the placeholder '<container_image>' and nothing replaced it: " +
            "set DISAGG_CONTAINER_IMAGE (the pyxis image: a .sqsh path or registry URI) or write it into the config" + Environment.NewLine +
            "1 file(s) checked: 2 error(s), 0 warning(s)" + Environment.NewLine);
        Run((o, e) => Commands.Validate([sample], o, e, UpstreamConfigs.Environment("samples"))).Code.Should().Be(0);
    }

    [Test]
    public void Validate_passes_the_repository_configs_and_lists()
    {
        var root = FixturePaths.RepoRoot;
        var configs = Path.Combine(root, "configs");
        var (code, output, _) = Run((o, e) => Commands.Validate([configs, Path.Combine(root, "test-lists")], o, e, configRoot: configs));
        output.Should().EndWith($"4 file(s) checked: 0 error(s), 0 warning(s){Environment.NewLine}");
        code.Should().Be(0);
    }

    [Test]
    public void Validate_of_a_list_with_an_unknown_id_exits_1_at_the_line()
    {
        var root = FixturePaths.RepoRoot;
        var list = Path.Combine(Path.GetTempPath(), $"disagg-list-{Guid.NewGuid():N}.txt");
        const string id = "disagg_perf_sim-tiny_128-32_ctx1_tep1_gen1_tep1_bs16_eplb0_mtp0_ccb-UC";
        File.WriteAllText(list, $"# two ids\n{id}X\n{id}Z\n");
        try
        {
            var (code, output, _) = Run((o, e) => Commands.Validate([list], o, e, configRoot: Path.Combine(root, "configs")));
            code.Should().Be(1);
            output.Should().StartWith($"{list}:3:1: '{id}Z' matches no config under {Path.Combine(root, "configs")} (did you mean '{id}X'?)");
            output.Should().EndWith($"1 file(s) checked: 1 error(s), 0 warning(s){Environment.NewLine}");
        }
        finally
        {
            File.Delete(list);
        }
    }

    [TestCase("--bogus")]
    [TestCase("-x")]
    public void Validate_does_not_take_an_option_for_a_path(string option)
    {
        var (code, output, error) = Run((o, e) => Commands.Validate([option], o, e));
        code.Should().Be(2);
        error.Should().Be($"validate: unknown option '{option}'; validate takes config files, test lists or folders (and --config-root DIR)" +
            Environment.NewLine);
        output.Should().BeEmpty();
    }

    [Test]
    public void List_shows_ids_categories_and_exclusions()
    {
        var root = FixturePaths.RepoRoot;
        var (code, output, _) = Run((o, e) => Commands.List(Path.Combine(root, "test-lists", "local-smoke.txt"),
            Path.Combine(root, "configs"), "H100", [], null, null, o, e));
        code.Should().Be(0);
        output.Should().Be(
            "RUN   disagg_perf_sim-tiny_128-32_ctx1_tep1_gen1_tep1_bs16_eplb0_mtp0_ccb-UCX  " +
            "[perf,disagg,sim-tiny,GB200,GB300,H100,B200,B300,128-32,e2e,UCX]" + Environment.NewLine +
            "1 case(s): 1 to run, 0 skipped, 0 failing; 0 excluded" + Environment.NewLine);
    }

    [Test]
    public void List_of_the_test_db_sample_names_every_failing_and_excluded_entry()
    {
        var (code, output, _) = Run((o, e) => Commands.List(
            FixturePaths.Fixture("samples", "l0_gb200_multi_nodes_disagg_perf_sanity_ctx1_node1_gpu4_gen1_node2_gpu8.yml"),
            FixturePaths.Fixture("samples"), "GB200", ["system_gpu_count=12", "stage=post_merge", "backend=pytorch"], null, null, o, e));
        code.Should().Be(1, "the sample configs are not in a config tree");
        output.Should().Contain("FAIL  disagg_perf-sanity_gb200-deepseek-r1-fp4_1k1k_ctx1_dep4_gen1_dep8_eplb0_mtp0_ccb-UCX  ");
        output.Should().EndWith($"5 case(s): 0 to run, 0 skipped, 5 failing; 3 excluded{Environment.NewLine}");
    }

    [Test]
    public void List_with_an_unknown_gpu_is_a_clear_error()
    {
        var (code, _, error) = Run((o, e) => Commands.List(Path.Combine(FixturePaths.RepoRoot, "test-lists", "local-smoke.txt"),
            "configs", "A100", [], null, null, o, e));
        code.Should().Be(1);
        error.Should().StartWith("GPU_TYPE: unknown GPU type 'A100'");
    }

    /// <summary>
    /// The parser itself lives in Disagg.Cli, which this project does not reference (see the report): the
    /// built assembly is loaded in-process when present.
    /// </summary>
    [TestCase(new[] { "list", "--test-lis", "x" }, "Unrecognized command or argument '--test-lis'.")]
    [TestCase(new[] { "list" }, "Option '--test-list' is required.")]
    [TestCase(new[] { "valdate" }, "Unrecognized command or argument 'valdate'.")]
    [TestCase(new[] { "render" }, "Required argument missing for command: 'render'.")]
    [TestCase(new[] { "render", "c.yaml", "--profil", "local" }, "Unrecognized command or argument '--profil'.")]
    [TestCase(new[] { "report" }, "Required argument missing for command: 'report'.")]
    [TestCase(new[] { "upload-pending" }, "Required argument missing for command: 'upload-pending'.")]
    [TestCase(new[] { "cancel" }, "Required argument missing for command: 'cancel'.")]
    [TestCase(new[] { "cancel", "run1", "--wait", "soon" }, "Cannot parse argument 'soon' for option '--wait'")]
    [TestCase(new[] { "reevaluate", "dir" }, "Option '--config' is required.")]
    public void Bad_flags_are_a_clear_error_with_exit_2(string[] args, string expected)
    {
        var (code, _, error) = Run((o, e) => CliRun(args, o, e));
        code.Should().Be(2);
        error.Should().Contain(expected);
    }

    /// <summary>Every verb has --help naming its arguments, options and exit codes.</summary>
    [TestCase("validate", "<paths>")]
    [TestCase("list", "--test-list")]
    [TestCase("render", "--profile")]
    [TestCase("report", "<results-dir>")]
    [TestCase("upload-pending", "<results-dir>")]
    [TestCase("cancel", "--wait")]
    [TestCase("reevaluate", "--config")]
    public void Every_verb_has_help(string verb, string mentions)
    {
        var (code, output, _) = Run((o, e) => CliRun([verb, "--help"], o, e));
        code.Should().Be(0);
        output.Should().StartWith("Description:").And.Contain($" {verb} ").And.Contain(mentions); // usage names the host: disagg, or testhost in-process
        if (verb is not ("validate" or "list")) output.Should().Contain("Exit ");
    }

    [Test]
    public void Verbs_map_their_arguments_to_the_commands()
    {
        var missing = Path.Combine(Path.GetTempPath(), "disagg-no-such-" + Guid.NewGuid().ToString("N"));
        Run((o, e) => CliRun(["report", missing], o, e)).Should().Be((2, "", $"report: results directory '{missing}' does not exist{Environment.NewLine}"));
        Run((o, e) => CliRun(["upload-pending", missing], o, e)).Code.Should().Be(2);
        Run((o, e) => CliRun(["cancel", " "], o, e)).Err.Should().StartWith("cancel: the run id ' ' is empty");
        Run((o, e) => CliRun(["cancel", "run1", "--wait", "0"], o, e)).Err.Should().StartWith("cancel: --wait must be a positive number of seconds");
        Run((o, e) => CliRun(["render", missing, "--profile", "local"], o, e)).Err.Should().StartWith($"render: config '{missing}' not found");
        Run((o, e) => CliRun(["reevaluate", missing, "--config", "x.yaml"], o, e)).Err.Should().StartWith($"reevaluate: job folder '{missing}' does not exist");
    }

    private static int CliRun(string[] args, TextWriter output, TextWriter error)
    {
        var dll = Path.Combine(FixturePaths.RepoRoot, "Disagg.Cli", "bin", "Debug", "net10.0", "disagg.dll");
        if (!File.Exists(dll)) Assert.Ignore($"{dll} is not built; run dotnet build Disagg.sln");
        var run = Assembly.LoadFrom(dll).GetType("Disagg.Cli.CliApp")!.GetMethod("Run")!;
        return (int)run.Invoke(null, [args, output, error])!;
    }
}
