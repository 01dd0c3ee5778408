namespace Disagg.Harness.Configuration;

/// <summary>
/// After the environment overrides: every value a job needs that is still a <c>&lt;placeholder&gt;</c> (or empty)
/// is an error naming the variable that fills it, so nothing renders <c>trtllm-serve ''</c> or
/// <c>--container-image=&lt;container_image&gt;</c>. Placeholders of fields Disagg does not use
/// (<c>environment.work_dir</c>, <c>environment.log_dir</c>, <c>slurm.job_name</c>, <c>trtllm_repo</c>) stay unset
/// without complaint; <c>slurm.partition</c>/<c>account</c> fall back to the cluster profile.
/// </summary>
public static class PlaceholderCheck
{
    /// <summary>The keys whose position the loader records for these messages.</summary>
    public static readonly IReadOnlyList<string> CheckedKeys =
        ["environment.model_path", "environment.container_image", "environment.container_mount", "benchmark.dataset_file", "accuracy.env_var"];

    public static IReadOnlyList<ConfigError> Unresolved(DisaggConfig config)
    {
        var errors = new List<ConfigError>();
        void Add(string keyPath, string message)
        {
            var at = config.Placeholders.FirstOrDefault(p => p.KeyPath == keyPath);
            var shown = at is null ? "is empty" : $"is the placeholder '{at.Text}' and nothing replaced it";
            var (line, column) = at is null ? PositionOf(config, keyPath) : (at.Line, at.Column);
            errors.Add(new ConfigError(config.SourceFile, line, column, keyPath, $"{shown}: {message}"));
        }

        if (config.Environment.ModelPath.Length == 0)
        {
            var under = config.Metadata.ModelDirName.Length > 0 ? $"DISAGG_MODEL_DIR/{config.Metadata.ModelDirName}" : "DISAGG_MODEL_DIR";
            Add("environment.model_path", $"set DISAGG_MODEL_DIR (the model root; model_path = {under}) or write the model path into the config");
        }
        if (IsPlaceholder(config, "environment.container_image") && config.Environment.ContainerImage.Length == 0)
            Add("environment.container_image", "set DISAGG_CONTAINER_IMAGE (the pyxis image: a .sqsh path or registry URI) or write it into the config");
        var env = config.Environment;
        if (IsPlaceholder(config, "environment.container_mount") && env.ContainerMount.Length == 0 && env.ContainerImage.Length > 0)
            Add("environment.container_mount",
                "set DISAGG_CONTAINER_MOUNT (comma-joined src:dst mounts reaching the model and dataset) or write it into the config");
        if (DatasetNeeded(config))
        {
            var dataset = config.Benchmark.DatasetFile;
            var variable = config.Metadata.DatasetFile.Length > 0
                ? $"set DISAGG_DATASET_DIR (dataset_file = DISAGG_DATASET_DIR/{config.Metadata.DatasetFile}) or DISAGG_DATASET_FILE"
                : "set DISAGG_DATASET_FILE (the dataset file) or write it into the config";
            if (dataset.Length == 0 && IsPlaceholder(config, "benchmark.dataset_file"))
                Add("benchmark.dataset_file", variable);
            else if (dataset.Length > 0 && !dataset.StartsWith('/'))
            {
                var (line, column) = PositionOf(config, "benchmark.dataset_file");
                errors.Add(new ConfigError(config.SourceFile, line, column, "benchmark.dataset_file",
                    $"'{dataset}' is relative to the dataset root: set DISAGG_DATASET_DIR (dataset_file = DISAGG_DATASET_DIR/{dataset}) " +
                    "or write an absolute path"));
            }
        }
        if (config.Accuracy.Enabled)
            foreach (var (key, value) in config.Accuracy.EnvVar.Where(kv => Placeholder.Is(kv.Value)))
                Add($"accuracy.env_var.{key}", key == "HF_HOME"
                    ? "set DISAGG_HF_HOME (HF_HOME of the lm_eval step) or write it into the config"
                    : "write the value into the config; lm_eval would otherwise see the placeholder text");
        foreach (var (key, _) in config.Benchmark.EnvVar.Where(kv => Placeholder.Is(kv.Value)))
            Add($"benchmark.env_var.{key}", "write the value into the config; the benchmark client would otherwise see the placeholder text");
        return errors;
    }

    /// <summary>The default client reads the dataset file; the SA client and the random dataset do not.</summary>
    private static bool DatasetNeeded(DisaggConfig c) =>
        c.Benchmark.EnableBenchmark && !c.Benchmark.UseNvSaBenchmark && !c.Benchmark.RandomDatasetChosen;

    private static bool IsPlaceholder(DisaggConfig c, string keyPath) => c.Placeholders.Any(p => p.KeyPath == keyPath);

    private static (int Line, int Column) PositionOf(DisaggConfig c, string keyPath) =>
        c.Positions.TryGetValue(keyPath, out var at) ? at : c.Positions.GetValueOrDefault(keyPath[..Math.Max(0, keyPath.LastIndexOf('.'))]);
}
