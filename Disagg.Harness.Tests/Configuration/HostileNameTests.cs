using Disagg.Harness.Configuration;
using FluentAssertions;

namespace Disagg.Harness.Tests.Configuration;

/// <summary>
/// Names that reach a shell word, a file name, an environment or an #SBATCH line are refused when the config is
/// loaded, at their line, with what is allowed. The first cases are the injections of issue 15, each of which
/// passed validation and ran a command on the cluster's nodes before. Line numbers refer to Fixtures/configs/smoke.yaml.
/// </summary>
public sealed class HostileNameTests
{
    private const string EnvRule = "is not a valid environment variable name: use letters, digits and _, not starting with a digit ([A-Za-z_][A-Za-z0-9_]*)";
    private const string TaskRule = "is not a valid task name: use letters, digits and _ . -, starting with a letter or digit (e.g. gsm8k, mmlu_pro)";
    private const string WorkerEnv = "  worker_env_var: \"TLLM_LOG_LEVEL=INFO TRTLLM_SERVER_DISABLE_GC=1 TRTLLM_WORKER_DISABLE_GC=1\"";
    private const string Accuracy = "accuracy:\n  enable_accuracy_test: false";

    private static readonly object[] Injections =
    [
        Case("env string: command substitution as a name", WorkerEnv, "  worker_env_var: \"$(touch${IFS}pwned)=1\"",
            $"broken.yaml:37:19: environment.worker_env_var: '$(touch${{IFS}}pwned)' {EnvRule}"),
        Case("env mapping key under worker_env_var", WorkerEnv, "  worker_env_var:\n    \"X; touch pwned; Y\": 1",
            $"broken.yaml:38:5: environment.worker_env_var.X; touch pwned; Y: 'X; touch pwned; Y' {EnvRule}"),
        Case("env mapping key under benchmark.env_var", "  dataset_file: \"\"", "  dataset_file: \"\"\n  env_var:\n    \"X; touch pwned; Y\": 1",
            $"broken.yaml:28:5: benchmark.env_var.X; touch pwned; Y: 'X; touch pwned; Y' {EnvRule}"),
        Case("accuracy task as a string", Accuracy, Accuracy + "\n  tasks: \"gsm8k;touch${IFS}pwned\"",
            $"broken.yaml:43:10: accuracy.tasks: 'gsm8k;touch${{IFS}}pwned' {TaskRule}"),
        Case("accuracy task as a mapping key", Accuracy, Accuracy + "\n  tasks:\n    \"gsm8k;touch${IFS}pwned\":\n      model: local-completions",
            $"broken.yaml:44:5: accuracy.tasks.gsm8k;touch${{IFS}}pwned: 'gsm8k;touch${{IFS}}pwned' {TaskRule}"),
    ];

    private static readonly object[] OtherNames =
    [
        Case("env name starting with a digit", WorkerEnv, "  worker_env_var: \"1ABC=1\"", $"broken.yaml:37:19: environment.worker_env_var: '1ABC' {EnvRule}"),
        Case("env name with a trailing newline", WorkerEnv, "  worker_env_var:\n    \"ABC\\n\": 1",
            $"broken.yaml:38:5: environment.worker_env_var.ABC\\n: 'ABC\\n' {EnvRule}"),
        Case("server env name", "  server_env_var: \"TRTLLM_SERVER_DISABLE_GC=1\"", "  server_env_var: \"A-B=1\"",
            $"broken.yaml:38:19: environment.server_env_var: 'A-B' {EnvRule}"),
        Case("accuracy env_var key", Accuracy, Accuracy + "\n  env_var:\n    \"HF HOME\": /x",
            $"broken.yaml:44:5: accuracy.env_var.HF HOME: 'HF HOME' {EnvRule}"),
        Case("extra_kwargs key", Accuracy, Accuracy + "\n  tasks:\n    gsm8k:\n      extra_kwargs:\n        \"a;b\": 1",
            "broken.yaml:46:9: accuracy.tasks.gsm8k.extra_kwargs.a;b: 'a;b' is not a valid option name: " +
            "use letters, digits, _ and -, starting with a letter or digit"),
        Case("job name with a double quote", "  job_name: disagg-smoke", "  job_name: 'a\"b'",
            "broken.yaml:14:13: slurm.job_name: 'a\"b' is not a valid job name: " +
            "use letters, digits, spaces and _ . : + @ % = , / -, starting with a letter, digit or _"),
        Case("partition with a space", "  partition: <partition>", "  partition: \"a b\"",
            "broken.yaml:11:14: slurm.partition: 'a b' is not a valid SLURM partition or account name: " +
            "use letters, digits and _ . - (commas between partitions)"),
        Case("account with a dollar", "  account: <account>", "  account: $x",
            "broken.yaml:12:12: slurm.account: '$x' is not a valid SLURM partition or account name: use letters, digits and _ . - (commas between partitions)"),
        Case("extra_args word that is not an option", "  extra_args: \"--gres=gpu:4\"", "  extra_args: \"--gres=gpu:4 -C gpu\"",
            "broken.yaml:15:15: slurm.extra_args: 'gpu' is not an sbatch option of the form --name or --name=value " +
            "(no quotes, spaces or $; write -C gpu as --constraint=gpu)"),
        Case("NUL in a value", "  model_path: sim-tiny", "  model_path: \"sim\\0tiny\"",
            "broken.yaml:34:15: environment.model_path: 'sim\\u0000tiny' contains a control character; only tab and newline are allowed in values"),
        Case("a string over the length limit", "  model_path: sim-tiny", "  model_path: " + new string('m', 5000),
            "broken.yaml:34:15: environment.model_path: is 5000 characters long; the limit is 4096 (docs/limits.md)"),
        Case("duplicate worker key, once with a tag", "    stream_interval: 1", "    stream_interval: 1\n    !!str stream_interval: 2",
            "broken.yaml:84:5: worker_config.gen.stream_interval: is a duplicate key"),
        Case("non-string worker key", "    stream_interval: 1", "    stream_interval: 1\n    ? [a, b]\n    : 2",
            "broken.yaml:84:7: worker_config.gen.(key): a key of a worker config must be a string, not a list, mapping or null"),
    ];

    private static TestCaseData Case(string name, string find, string replace, string expected) =>
        new TestCaseData(find, replace, expected).SetArgDisplayNames(name.Replace(' ', '_').Replace(':', '_'));

    [TestCaseSource(nameof(Injections))]
    public void An_injection_of_issue_15_is_refused_at_its_line(string find, string replace, string expected) =>
        ConfigText.Errors(ConfigText.SmokeWith(find, replace)).Should().Equal(expected);

    [TestCaseSource(nameof(OtherNames))]
    public void A_bad_name_or_value_is_refused_at_its_line(string find, string replace, string expected) =>
        ConfigText.Errors(ConfigText.SmokeWith(find, replace)).Should().Equal(expected);

    [Test]
    public void Names_and_values_that_are_fine_still_load()
    {
        var text = ConfigText.SmokeWith(WorkerEnv, "  worker_env_var:\n    _UNDERSCORE_1: \"$(not run) `quoted` ; * ?\"\n    PLAIN: \"line1\\nline2\"")
            .Replace("  job_name: disagg-smoke", "  job_name: \"nightly perf, gb200/8k1k\"", StringComparison.Ordinal)
            .Replace(Accuracy, Accuracy + "\n  tasks: \"gsm8k mmlu_pro slimpajama-6b\"", StringComparison.Ordinal);
        ConfigText.Errors(text).Should().BeEmpty();
        var config = ConfigLoader.Parse(text, "ok.yaml");
        config.Environment.WorkerEnv["_UNDERSCORE_1"].Should().Be("$(not run) `quoted` ; * ?");
        config.Accuracy.Tasks.Select(t => t.Name).Should().Equal("gsm8k", "mmlu_pro", "slimpajama-6b");
    }

    [Test]
    public void A_config_file_name_with_a_newline_is_refused_before_it_is_read()
    {
        var dir = Directory.CreateTempSubdirectory("disagg-name-").FullName;
        try
        {
            var path = Path.Combine(dir, "smoke\n#SBATCH --wrap=id.yaml");
            File.WriteAllText(path, ConfigText.Smoke);
            var e = Assert.Throws<ConfigException>(() => ConfigLoader.Load(path))!;
            e.Errors.Single().ToString().Should().Be(
                $"{dir}/smoke\\n#SBATCH --wrap=id.yaml:1:1: the file name 'smoke\\n#SBATCH --wrap=id' is not a valid name: " +
                "use letters, digits and _ . -, starting with a letter or digit; rename the file");
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [TestCase("DISAGG_SLURM_PARTITION", "a;b", "slurm.partition: environment variable DISAGG_SLURM_PARTITION: 'a;b' is not a valid SLURM partition")]
    [TestCase("DISAGG_SLURM_JOB_NAME", "x\"y", "slurm.job_name: environment variable DISAGG_SLURM_JOB_NAME: 'x\"y' is not a valid job name")]
    [TestCase("DISAGG_SLURM_EXTRA_ARGS", "--exclusive $(id)",
        "slurm.extra_args: environment variable DISAGG_SLURM_EXTRA_ARGS: '$(id)' is not an sbatch option")]
    [TestCase("DISAGG_MODEL_DIR", "/models\n#SBATCH --wrap=id",
        "environment.model_path: environment variable DISAGG_MODEL_DIR: '/models\\n#SBATCH --wrap=id' contains a line break")]
    public void An_environment_override_passes_the_rule_of_the_key_it_replaces(string variable, string value, string expected)
    {
        var config = ConfigLoader.Parse(ConfigText.Smoke, "smoke.yaml");
        var e = Assert.Throws<ConfigException>(() => EnvironmentOverrides.Apply(config, name => name == variable ? value : null))!;
        e.Errors.Single().ToString().Should().StartWith("smoke.yaml: " + expected);
    }
}
