namespace Disagg.Harness.Configuration;

/// <summary>
/// Explicit environment overrides (replacing the old harness's silent rewrite, which changed configs without a trace).
/// Every variable is prefixed <c>DISAGG_</c>, so none collides with what SLURM sets inside an allocation
/// (<c>SLURM_JOB_NAME</c> is never read). An unset, empty or <c>&lt;placeholder&gt;</c> value is unset.
/// <see cref="Apply"/> is pure: it reads variables only through the function it is given.
/// </summary>
public static class EnvironmentOverrides
{
    public static readonly IReadOnlyList<EnvOverride> Table =
    [
        new("DISAGG_SLURM_PARTITION", "slurm.partition", "sbatch --partition",
            c => c.Slurm.Partition, (c, v) => c with { Slurm = c.Slurm with { Partition = v, PartitionFromEnvironment = true } }),
        new("DISAGG_SLURM_ACCOUNT", "slurm.account", "sbatch --account",
            c => c.Slurm.Account, (c, v) => c with { Slurm = c.Slurm with { Account = v, AccountFromEnvironment = true } }),
        new("DISAGG_SLURM_JOB_NAME", "slurm.job_name", "sbatch --job-name",
            c => c.Slurm.JobName, (c, v) => c with { Slurm = c.Slurm with { JobName = v } }),
        new("DISAGG_SLURM_EXTRA_ARGS", "slurm.extra_args", "extra sbatch arguments, whitespace-separated",
            c => string.Join(' ', c.Slurm.ExtraArgs),
            (c, v) => c with { Slurm = c.Slurm with { ExtraArgs = v.Split(' ', StringSplitOptions.RemoveEmptyEntries) } }),
        new("DISAGG_CONTAINER_IMAGE", "environment.container_image", "pyxis image (.sqsh path or registry URI)",
            c => c.Environment.ContainerImage, (c, v) => c with { Environment = c.Environment with { ContainerImage = v } }),
        new("DISAGG_CONTAINER_MOUNT", "environment.container_mount", "comma-joined src:dst mounts",
            c => c.Environment.ContainerMount, (c, v) => c with { Environment = c.Environment with { ContainerMount = v } }),
        new("DISAGG_MODEL_DIR", "environment.model_path", "model root; model_path = DISAGG_MODEL_DIR/metadata.model_dir_name",
            c => c.Environment.ModelPath, (c, v) => c with { Environment = c.Environment with { ModelPath = Join(v, c.Metadata.ModelDirName) } }),
        new("DISAGG_DATASET_DIR", "benchmark.dataset_file",
            "dataset root; dataset_file = DISAGG_DATASET_DIR/metadata.dataset_file, or DISAGG_DATASET_DIR/benchmark.dataset_file when that is relative",
            c => c.Benchmark.DatasetFile, (c, v) => c with { Benchmark = c.Benchmark with { DatasetFile = DatasetUnder(v, c) } }),
        new("DISAGG_DATASET_FILE", "benchmark.dataset_file", "the dataset file itself (wins over DISAGG_DATASET_DIR)",
            c => c.Benchmark.DatasetFile, (c, v) => c with { Benchmark = c.Benchmark with { DatasetFile = v } }),
        new("DISAGG_WORK_DIR", "environment.work_dir", "script directory on the cluster",
            c => c.Environment.WorkDir, (c, v) => c with { Environment = c.Environment with { WorkDir = v } }),
        new("DISAGG_TRTLLM_REPO", "environment.trtllm_repo", "TensorRT-LLM source tree installed on the nodes",
            c => c.Environment.TrtllmRepo, (c, v) => c with { Environment = c.Environment with { TrtllmRepo = v } }),
        new("DISAGG_TRTLLM_WHEEL_PATH", "environment.trtllm_wheel_path", "wheel installed on all nodes",
            c => c.Environment.TrtllmWheelPath, (c, v) => c with { Environment = c.Environment with { TrtllmWheelPath = v } }),
        new("DISAGG_HF_HOME", "accuracy.env_var.HF_HOME", "HF_HOME for lm_eval (only when accuracy is enabled)",
            c => c.Accuracy.EnvVar.GetValueOrDefault("HF_HOME", ""),
            (c, v) => !c.Accuracy.Enabled
                ? c
                : c with { Accuracy = c.Accuracy with { EnvVar = new Dictionary<string, string>(c.Accuracy.EnvVar) { ["HF_HOME"] = v } } }),
    ];

    /// <summary>
    /// Applies every set override. CI variables can come from a merge request, so each value passes the rule its
    /// config key has (<see cref="Problem"/>); a bad one throws <see cref="ConfigException"/> naming the variable.
    /// </summary>
    public static OverrideResult Apply(DisaggConfig config, Func<string, string?> environment)
    {
        var log = new List<string>();
        var errors = new List<ConfigError>();
        foreach (var o in Table)
        {
            var value = environment(o.Variable);
            if (string.IsNullOrWhiteSpace(value) || Placeholder.Is(value.Trim())) continue;
            if (Problem(o.KeyPath, value.Trim()) is { } problem)
            {
                errors.Add(new ConfigError(config.SourceFile, 0, 0, o.KeyPath, $"environment variable {o.Variable}: {problem}; unset or fix it"));
                continue;
            }
            var before = o.Get(config);
            var updated = o.Set(config, value.Trim());
            var after = o.Get(updated);
            if (after == before) continue;
            log.Add($"{o.KeyPath}: {Show(before)} → {Show(after)} (from {o.Variable})");
            config = updated;
        }
        if (errors.Count > 0) throw new ConfigException(errors);
        return new OverrideResult(config, log);
    }

    /// <summary>Why <paramref name="value"/> cannot replace the config value at <paramref name="keyPath"/>, or null.</summary>
    public static string? Problem(string keyPath, string value)
    {
        if (value.Length > InputLimits.MaxStringLength) return $"is {value.Length} characters long; the limit is {InputLimits.MaxStringLength}";
        if (Names.HasForbiddenControl(value) || value.Contains('\n', StringComparison.Ordinal))
            return $"'{Names.Show(value)}' contains a line break or control character";
        return keyPath switch
        {
            "slurm.partition" or "slurm.account" => Names.SlurmName(value),
            "slurm.job_name" => Names.JobName(value),
            "slurm.extra_args" => value.Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(Names.SbatchOption).FirstOrDefault(p => p is not null),
            _ => null,
        };
    }

    private static string Show(string value) => value.Length == 0 ? "(unset)" : $"'{value}'";

    /// <summary>
    /// A relative dataset path is relative to the dataset root: the loader puts <c>metadata.dataset_file</c> there when
    /// <c>benchmark.dataset_file</c> is a placeholder, and the perf-sanity configs write a relative path directly.
    /// </summary>
    private static string DatasetUnder(string root, DisaggConfig c)
    {
        var own = c.Benchmark.DatasetFile;
        return own.Length > 0 && !Path.IsPathRooted(own) ? Join(root, own) : own;
    }

    private static string Join(string root, string relative) =>
        relative.Length == 0 ? root : Path.IsPathRooted(relative) ? relative : root.TrimEnd('/') + "/" + relative;
}
