using System.Diagnostics;
using System.Text;
using Disagg.Harness.Configuration;
using FluentAssertions;

namespace Disagg.Harness.Tests.Configuration;

/// <summary>
/// The exhaustion configs of issue 15, each of which once validated and then made <c>render</c> grow past 11 GB,
/// write 100,008 files, render <c>--ntasks=-2</c> or <c>-N 0</c>, or crashed the loader. Each is now refused when the
/// config is loaded, with the limit in the message (InputLimits, docs/limits.md). Lines refer to Fixtures/configs/smoke.yaml.
/// </summary>
public sealed class InputLimitsTests
{
    private const string GenTp = "  gen:\n    tensor_parallel_size: 1\n    pipeline_parallel_size: 1";

    /// <summary>A 10-level "billion laughs": 9^10 = 3.5 billion strings once expanded, about 700 bytes of YAML.</summary>
    public static string AliasBomb()
    {
        var sb = new StringBuilder("    bomb:\n      l0: &l0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n");
        for (var i = 1; i <= 10; i++)
            sb.Append(System.Globalization.CultureInfo.InvariantCulture, $"      l{i}: &l{i} [{string.Join(", ", Enumerable.Repeat($"*l{i - 1}", 9))}]\n");
        return sb.ToString();
    }

    private static readonly object[] Exhaustion =
    [
        Case("alias bomb in worker_config", "    stream_interval: 1\n", "    stream_interval: 1\n" + AliasBomb(),
            "broken.yaml:89:41: the YAML has more than 50000 nodes once its aliases are expanded (docs/limits.md)"),
        Case("2^31 ctx servers", "  num_ctx_servers: 1", "  num_ctx_servers: 2147483648",
            "broken.yaml:29:20: hardware.num_ctx_servers: '2147483648' is out of range; the limit is 256"),
        Case("2^31 - 1 ctx servers", "  num_ctx_servers: 1", "  num_ctx_servers: 2147483647",
            "broken.yaml:29:20: hardware.num_ctx_servers: must be <= 256, got 2147483647 (limit in docs/limits.md)"),
        Case("100,000 gen servers", "  num_gen_servers: 1", "  num_gen_servers: 100000",
            "broken.yaml:30:20: hardware.num_gen_servers: must be <= 256, got 100000 (limit in docs/limits.md)"),
        Case("int.MaxValue GPUs per node", "  gpus_per_node: 4", "  gpus_per_node: 2147483647",
            "broken.yaml:28:18: hardware.gpus_per_node: must be <= 128, got 2147483647 (limit in docs/limits.md)"),
        Case("tp = pp = 65536 (world size overflowed to 0)", GenTp, "  gen:\n    tensor_parallel_size: 65536\n    pipeline_parallel_size: 65536",
            "broken.yaml:67:27: worker_config.gen.tensor_parallel_size: must be <= 4096, got 65536 (limit in docs/limits.md)",
            "broken.yaml:68:29: worker_config.gen.pipeline_parallel_size: must be <= 4096, got 65536 (limit in docs/limits.md)"),
        Case("tp x pp x cp over the world size limit", GenTp + "\n    context_parallel_size: 1",
            "  gen:\n    tensor_parallel_size: 64\n    pipeline_parallel_size: 64\n    context_parallel_size: 64",
            "broken.yaml:67:27: worker_config.gen.tensor_parallel_size: world size tp x pp x cp = 64 x 64 x 64 = 262144 " +
            "is above the limit of 4096 GPUs per server (docs/limits.md)"),
        Case("a job over the node limit", "  num_gen_servers: 1", "  num_gen_servers: 256",
            "broken.yaml:28:3: hardware: the job needs 65537 nodes (ctx and gen servers x world size / gpus_per_node); the limit is 2048 (docs/limits.md)",
            extra: (GenTp, "  gen:\n    tensor_parallel_size: 1024\n    pipeline_parallel_size: 1")),
        Case("absurd job time", "  job_time: \"00:10:00\"", "  job_time: \"99999999-00:00:00\"",
            "broken.yaml:13:13: slurm.job_time: '99999999-00:00:00' is longer than the limit of 30 days (docs/limits.md)"),
        Case("2^31 - 1 minutes", "  job_time: \"00:10:00\"", "  job_time: \"2147483647\"",
            "broken.yaml:13:13: slurm.job_time: '2147483647' is longer than the limit of 30 days (docs/limits.md)"),
        Case("100,000 nesting levels", "    stream_interval: 1\n",
            "    stream_interval: 1\n    deep: " + new string('[', 100_000) + new string(']', 100_000) + "\n",
            "broken.yaml:84:72: YAML nesting is deeper than 64 levels; the limit keeps parsing bounded (docs/limits.md)"),
        Case("an alias inside the node it names", "    stream_interval: 1\n", "    stream_interval: 1\n    loop: &x [a, *x]\n",
            "broken.yaml:84:18: alias *x is inside the node it names, which would make the document infinite"),
        Case("effective concurrency over the limit", "  concurrency_list: \"1 4\"", "  concurrency_list: \"1048576\"",
            "broken.yaml:23:21: benchmark.concurrency_list: concurrency 1048576 x num_gen_servers 2 = 2097152 is above the limit of 1048576 (docs/limits.md)",
            extra: ("  num_gen_servers: 1", "  num_gen_servers: 2")),
        Case("too many concurrencies", "  concurrency_list: \"1 4\"", "  concurrency_list: \"" + string.Join(' ', Enumerable.Repeat("1", 70)) + "\"",
            "broken.yaml:23:21: benchmark.concurrency_list: has more than 64 values (docs/limits.md)"),
        Case("too many accuracy tasks", "accuracy:\n  enable_accuracy_test: false", "accuracy:\n  enable_accuracy_test: true\n  tasks: \""
            + string.Join(' ', Enumerable.Range(0, 33).Select(i => $"t{i}")) + "\"",
            "broken.yaml:43:10: accuracy.tasks: has 33 tasks; the limit is 32 (docs/limits.md)"),
        Case("multi_round", "  multi_round: 4", "  multi_round: 1000000",
            "broken.yaml:21:16: benchmark.multi_round: must be <= 1000, got 1000000 (limit in docs/limits.md)"),
        Case("non-finite ratio", "  use_nv_sa_benchmark: false", "  use_nv_sa_benchmark: false\n  benchmark_ratio: .nan",
            "broken.yaml:21:20: benchmark.benchmark_ratio: expected a finite number, got '.nan'"),
    ];

    private static TestCaseData Case(string name, string find, string replace, params string[] expected) =>
        new TestCaseData(find, replace, expected, null, null).SetArgDisplayNames(name.Replace(' ', '_').Replace(',', '_'));

    private static TestCaseData Case(string name, string find, string replace, string expected, (string Find, string Replace) extra) =>
        new TestCaseData(find, replace, new[] { expected }, extra.Find, extra.Replace).SetArgDisplayNames(name.Replace(' ', '_').Replace(',', '_'));

    [TestCaseSource(nameof(Exhaustion))]
    public void An_exhaustion_config_is_refused_when_loaded(string find, string replace, string[] expected, string? find2, string? replace2)
    {
        var text = ConfigText.SmokeWith(find, replace);
        if (find2 is not null) text = ConfigText.Replace(text, find2, replace2!);
        var clock = Stopwatch.StartNew();
        var errors = ConfigText.Errors(text);
        TestContext.Out.WriteLine($"refused in {clock.Elapsed.TotalMilliseconds:0} ms: {string.Join(" | ", errors)}");
        errors.Should().Equal(expected);
    }

    [Test]
    public void A_file_over_the_size_limit_is_refused_before_it_is_read()
    {
        var path = Path.Combine(Path.GetTempPath(), $"disagg-big-{Guid.NewGuid():N}.yaml");
        try
        {
            File.WriteAllText(path, ConfigText.Smoke + "#" + new string('x', InputLimits.MaxFileBytes) + "\n");
            var e = Assert.Throws<ConfigException>(() => ConfigLoader.Load(path))!;
            e.Errors.Single().ToString().Should().Be($"{path}: the config is {new FileInfo(path).Length} bytes; the limit is 262144 bytes (docs/limits.md)");
        }
        finally
        {
            File.Delete(path);
        }
    }

    [TestCase("| size of a config, test list or profile file |", InputLimits.MaxFileBytes)]
    [TestCase("| YAML nesting depth |", InputLimits.MaxNestingDepth)]
    [TestCase("| YAML nodes once aliases are expanded |", InputLimits.MaxExpandedNodes)]
    [TestCase("| characters of values once aliases are expanded |", InputLimits.MaxExpandedChars)]
    [TestCase("| one string value |", InputLimits.MaxStringLength)]
    [TestCase("| one environment section (names and values) |", InputLimits.MaxEnvironmentChars)]
    [TestCase("| one name |", InputLimits.MaxNameLength)]
    [TestCase("| servers per role (", InputLimits.MaxServersPerRole)]
    [TestCase("| `gpus_per_node` |", InputLimits.MaxGpusPerNode)]
    [TestCase("| tensor, pipeline, context or expert parallel size", InputLimits.MaxWorldSize)]
    [TestCase("| nodes of one job |", InputLimits.MaxNodes)]
    [TestCase("| one concurrency times `num_gen_servers` |", InputLimits.MaxConcurrency)]
    [TestCase("| values in `concurrency_list` |", InputLimits.MaxConcurrencyValues)]
    [TestCase("| `multi_round` |", InputLimits.MaxMultiRound)]
    [TestCase("| token counts (", InputLimits.MaxTokens)]
    [TestCase("| MTP layers, EPLB slots |", InputLimits.MaxSmallCount)]
    [TestCase("| accuracy tasks |", InputLimits.MaxAccuracyTasks)]
    public void The_documented_limit_is_the_one_in_the_code(string row, long limit)
    {
        var doc = File.ReadAllLines(Path.Combine(Fixtures.FixturePaths.RepoRoot, "docs", "limits.md"));
        doc.Should().ContainSingle(l => l.StartsWith(row, StringComparison.Ordinal))
            .Which.Split('|', StringSplitOptions.TrimEntries)[^2].Split(' ')[0].Should().Be(limit.ToString(System.Globalization.CultureInfo.InvariantCulture));
    }

    [Test]
    public void The_documented_job_time_and_outbox_limits_are_the_ones_in_the_code()
    {
        var doc = File.ReadAllText(Path.Combine(Fixtures.FixturePaths.RepoRoot, "docs", "limits.md"));
        doc.Should().Contain($"| `slurm.job_time` | {InputLimits.MaxJobTime.TotalDays:0} days |");
        doc.Should().Contain($"| one outbox entry file | {Disagg.Harness.Publishing.Outbox.MaxEntryBytes / (1024 * 1024)} MiB |");
    }

    [Test]
    public void Anchors_and_aliases_within_the_limits_still_load()
    {
        var text = ConfigText.SmokeWith("    stream_interval: 1\n", "    stream_interval: 1\n    shared: &s {a: 1, b: [x, y]}\n    again: *s\n");
        ConfigText.Errors(text).Should().BeEmpty();
    }
}
