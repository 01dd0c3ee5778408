using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Disagg.Harness.Configuration;

/// <summary>
/// Loads a test config YAML into <see cref="DisaggConfig"/>. All problems of a file are collected and
/// thrown together as one <see cref="ConfigException"/> naming file:line:column and the key path.
/// </summary>
public static class ConfigLoader
{
    private static readonly Dictionary<string, BenchmarkMode> Modes = new(StringComparer.Ordinal)
    {
        ["e2e"] = BenchmarkMode.E2E,
        ["gen_only"] = BenchmarkMode.GenOnly,
        ["gen_only_no_context"] = BenchmarkMode.GenOnlyNoContext,
    };

    public static readonly IReadOnlyList<string> DefaultSupportedGpus = MetadataReader.DefaultSupportedGpus;

    public static DisaggConfig Load(string path)
    {
        // The file's stem becomes the test id: it lands in job comments, file names and dotnet test filters.
        if (Names.Word(Path.GetFileNameWithoutExtension(path)) is { } badName)
            throw new ConfigException([new ConfigError(path, 1, 1, "", $"the file name {badName}; rename the file")]);
        return Parse(InputFile.Read(path, "config"), path);
    }

    public static DisaggConfig Parse(string text, string file)
    {
        var errors = new List<ConfigError>();
        var root = ReadRoot(text, file, errors);
        if (root is null) throw new ConfigException(errors);

        var top = new YamlSection(file, "", root, errors);
        // submit.py's own configs have no metadata section: every field takes its default (UpstreamForms).
        var metadata = MetadataReader.Read(top.Section("metadata")) ?? UpstreamForms.DefaultMetadata;
        var slurm = ReadSlurm(top.Section("slurm", required: true));
        var benchmark = ReadBenchmark(top.Section("benchmark", required: true), metadata);
        var hardware = ReadHardware(top.Section("hardware", required: true));
        var environment = ReadEnvironment(top.Section("environment", required: true));
        var profiling = ReadProfiling(top.Section("profiling"));
        var accuracy = AccuracyReader.Read(top.Section("accuracy"));
        var workers = top.Section("worker_config", required: true);
        var ctx = WorkerConfigReader.Read(workers.Section("ctx", required: true));
        var gen = WorkerConfigReader.Read(workers.Section("gen", required: true), isGen: true);
        workers.Allow("eplb_num_slots");
        workers.ReportUnknownKeys();
        var thresholds = ThresholdParser.Parse(top.Raw("thresholds"), file, errors);
        var regression = RegressionSettingsParser.Parse(top.Raw("regression"), file, errors);
        top.Allow("sequence");
        top.ReportUnknownKeys();

        if (errors.Count > 0 || slurm is null || benchmark is null || hardware is null ||
            environment is null || ctx is null || gen is null)
            throw new ConfigException(errors.Count > 0 ? errors : [new ConfigError(file, 0, 0, "", "incomplete config")]);

        var config = new DisaggConfig(file, UpstreamForms.Complete(metadata, environment), slurm, benchmark, hardware, environment, profiling,
            accuracy, ctx, gen, thresholds);
        var violations = ConfigValidator.Validate(config, root);
        if (violations.Count > 0) throw new ConfigException(violations);
        var placeholders = PlaceholderScanner.Scan(root);
        return config with
        {
            Warnings = FileNameLint.Check(config, root),
            Regression = regression,
            Placeholders = placeholders,
            Positions = PlaceholderCheck.CheckedKeys.ToDictionary(k => k, k => (ConfigValidator.LineOf(root, k), ConfigValidator.ColumnOf(root, k))),
        };
    }

    private static YamlMappingNode? ReadRoot(string text, string file, List<ConfigError> errors)
    {
        var stream = YamlText.Load(text, file, errors);
        if (stream is null) return null;
        if (stream.Documents.Count == 0 || stream.Documents[0].RootNode is not YamlMappingNode root)
        {
            errors.Add(new ConfigError(file, 1, 1, "",
                "expected a YAML mapping with the sections metadata, slurm, benchmark, hardware, environment, worker_config"));
            return null;
        }
        return root;
    }

    private static SlurmSection? ReadSlurm(YamlSection s)
    {
        if (!s.Exists) return null;
        var timeNode = s.Raw("job_time");
        TimeSpan jobTime = TimeSpan.FromHours(2);
        if (timeNode is YamlScalarNode t)
        {
            if (!JobTime.TryParse(t.Value, out var parsed))
                s.Error(t, "job_time", $"cannot read '{Names.Show(t.Value ?? "")}' as a duration; use HH:MM:SS, D-HH:MM:SS or minutes");
            else if (parsed > InputLimits.MaxJobTime)
                s.Error(t, "job_time", $"'{Names.Show(t.Value ?? "")}' is longer than the limit of {InputLimits.MaxJobTime.TotalDays:0} days (docs/limits.md)");
            else jobTime = parsed;
        }
        else s.Error(null, "job_time", "is required (HH:MM:SS) but missing");
        var partition = Placeholder.OrEmpty(s.String("partition"));
        var account = Placeholder.OrEmpty(s.String("account"));
        var jobName = Placeholder.OrNull(s.String("job_name")) ?? "disagg-benchmark";
        if (partition.Length > 0) s.CheckName(s.Raw("partition"), "partition", partition, Names.SlurmName);
        if (account.Length > 0) s.CheckName(s.Raw("account"), "account", account, Names.SlurmName);
        s.CheckName(s.Raw("job_name"), "job_name", jobName, Names.JobName);
        var extraArgs = (s.String("extra_args") ?? "").Split([' ', '\t', '\n'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        foreach (var option in extraArgs) s.CheckName(s.Raw("extra_args"), "extra_args", option, Names.SbatchOption);
        var result = new SlurmSection(
            partition,
            account,
            jobTime,
            jobName,
            extraArgs,
            s.Bool("set_segment") ?? true,
            s.Bool("numa_bind") ?? false)
        {
            ScriptFile = Placeholder.OrNull(s.String("script_file")),
        };
        s.ReportUnknownKeys();
        return result;
    }

    private static BenchmarkSection? ReadBenchmark(YamlSection s, MetadataSection? metadata)
    {
        if (!s.Exists) return null;
        var mode = s.Enum("mode", Modes, required: true);
        var concurrency = ConcurrencyList.Read(s);
        var envVar = AccuracyReader.ReadStringMap(s, "env_var", Names.EnvVar);
        // dataset_file: "" chooses the random dataset on purpose; a placeholder or a missing key means
        // "take metadata.dataset_file" (made absolute by DISAGG_DATASET_DIR), as the old harness did.
        var datasetNode = s.Raw("dataset_file") as YamlScalarNode;
        var randomChosen = datasetNode is { Value: "" } && datasetNode.Style != ScalarStyle.Plain;
        var dataset = Placeholder.OrEmpty(s.String("dataset_file"));
        if (dataset.Length == 0 && !randomChosen && metadata is not null) dataset = metadata.DatasetFile;
        var result = new BenchmarkSection(
            mode ?? BenchmarkMode.E2E,
            s.Bool("use_nv_sa_benchmark") ?? false,
            s.Int("multi_round", required: true, min: 1, max: InputLimits.MaxMultiRound) ?? 1,
            s.Double("benchmark_ratio"),
            s.Bool("streaming", required: true) ?? true,
            concurrency,
            s.Int("input_length", required: true, min: 1, max: InputLimits.MaxTokens) ?? 0,
            s.Int("output_length", required: true, min: 1, max: InputLimits.MaxTokens) ?? 0,
            dataset,
            s.Bool("enable_benchmark") ?? true,
            envVar)
        {
            RandomDatasetChosen = randomChosen,
            UseAiperf = s.Bool("use_aiperf") ?? false,
        };
        s.ReportUnknownKeys();
        return mode is null ? null : result;
    }

    private static HardwareSection? ReadHardware(YamlSection s)
    {
        if (!s.Exists) return null;
        var gpus = s.Int("gpus_per_node", required: true, min: 1, max: InputLimits.MaxGpusPerNode);
        var ctx = s.Int("num_ctx_servers", required: true, min: 0, max: InputLimits.MaxServersPerRole);
        var gen = s.Int("num_gen_servers", required: true, min: 1, max: InputLimits.MaxServersPerRole);
        var compact = s.Bool("compact_packing") ?? false;
        s.Allow("supported_gpus");
        s.ReportUnknownKeys();
        return gpus is null || ctx is null || gen is null ? null : new HardwareSection(gpus.Value, ctx.Value, gen.Value, compact);
    }

    private static EnvironmentSection? ReadEnvironment(YamlSection s)
    {
        if (!s.Exists) return null;
        var result = new EnvironmentSection(
            Placeholder.OrEmpty(s.String("container_image")),
            Placeholder.OrEmpty(s.String("container_mount")),
            Placeholder.OrEmpty(s.String("model_path")),
            Placeholder.OrEmpty(s.String("trtllm_repo")),
            s.Bool("build_wheel") ?? false,
            s.String("cuda_architectures") ?? "",
            Placeholder.OrEmpty(s.String("trtllm_wheel_path")),
            Placeholder.OrEmpty(s.String("work_dir")),
            EnvString.Parse(s, "worker_env_var"),
            EnvString.Parse(s, "ctx_worker_env_var"),
            EnvString.Parse(s, "gen_worker_env_var"),
            EnvString.Parse(s, "server_env_var"))
        {
            LogDir = Placeholder.OrEmpty(s.String("log_dir")),
        };
        s.ReportUnknownKeys();
        return result;
    }

    private static ProfilingSection ReadProfiling(YamlSection s)
    {
        var result = new ProfilingSection(s.Bool("nsys_on") ?? false, s.String("ctx_profile_range") ?? "10-30", s.String("gen_profile_range") ?? "200-250");
        s.ReportUnknownKeys();
        return result;
    }

    internal static IReadOnlyList<string>? ScalarList(YamlSection s, string key)
    {
        var node = s.Raw(key);
        if (node is null) return null;
        if (node is YamlSequenceNode seq) return seq.Children.OfType<YamlScalarNode>().Select(x => x.Value ?? "").ToList();
        if (node is YamlScalarNode scalar) return (scalar.Value ?? "").Split([',', ' '], StringSplitOptions.RemoveEmptyEntries);
        s.Error(node, key, "expected a list of strings");
        return null;
    }
}
