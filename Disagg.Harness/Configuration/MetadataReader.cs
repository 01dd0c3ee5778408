using YamlDotNet.RepresentationModel;

namespace Disagg.Harness.Configuration;

/// <summary>Reads <c>metadata</c>, including the typed <c>metrics</c> and <c>accuracy</c> overrides.</summary>
public static class MetadataReader
{
    public static readonly IReadOnlyList<string> DefaultSupportedGpus = ["GB200", "GB300", "H100", "B200", "B300"];

    private static readonly Dictionary<string, ThresholdType> ThresholdTypes = new(StringComparer.Ordinal)
    {
        ["hypothesis_test"] = ThresholdType.HypothesisTest,
    };

    private static readonly Dictionary<string, AccuracyFilter> Filters = new(StringComparer.Ordinal)
    {
        ["flexible-extract"] = AccuracyFilter.FlexibleExtract,
        ["strict-match"] = AccuracyFilter.StrictMatch,
    };

    public static MetadataSection? Read(YamlSection s)
    {
        if (!s.Exists) return null;
        var gpus = s.StringList("supported_gpus") ?? DefaultSupportedGpus;
        var result = new MetadataSection(
            s.String("model_name") ?? "unknown",
            s.String("precision") ?? "unknown",
            s.String("model_dir_name") ?? "",
            gpus,
            Placeholder.OrEmpty(s.String("dataset_file")))
        {
            ScriptFile = s.String("script_file") ?? "disaggr_torch.slurm",
            BenchmarkType = s.String("benchmark_type"),
            ConfigIndex = s.Int("config_index"),
            Metrics = ReadMetrics(s.Section("metrics")),
            AccuracyThresholds = ReadAccuracy(s.Section("accuracy")),
        };
        s.ReportUnknownKeys();
        return result;
    }

    public static MetricsOverride ReadMetrics(YamlSection s)
    {
        if (!s.Exists) return MetricsOverride.None;
        var result = new MetricsOverride(s.String("log_file"), s.String("extractor_pattern"), s.StringList("metric_names"));
        if (result.ExtractorPattern is { } pattern)
        {
            try
            {
                _ = new System.Text.RegularExpressions.Regex(pattern, System.Text.RegularExpressions.RegexOptions.None, TimeSpan.FromSeconds(1));
            }
            catch (ArgumentException e)
            {
                s.Error(s.Raw("extractor_pattern"), "extractor_pattern", $"is not a valid regular expression: {e.Message}");
            }
        }
        s.ReportUnknownKeys();
        return result;
    }

    private static AccuracyThresholds ReadAccuracy(YamlSection s)
    {
        if (!s.Exists) return AccuracyThresholds.None;
        var datasets = ReadDatasets(s, s.Raw("datasets"));
        var metrics = ReadMetrics(s.Section("metrics"));
        s.ReportUnknownKeys();
        return new AccuracyThresholds(datasets, metrics);
    }

    /// <summary><c>metadata.accuracy.datasets</c> on its own (used by the accuracy check's tests and re-evaluation).</summary>
    public static IReadOnlyList<AccuracyDataset> ParseDatasets(YamlNode? node, string file, List<ConfigError> errors) =>
        ReadDatasets(new YamlSection(file, "metadata.accuracy", null, errors), node);

    private static List<AccuracyDataset> ReadDatasets(YamlSection s, YamlNode? node)
    {
        var datasets = new List<AccuracyDataset>();
        if (node is YamlSequenceNode list)
        {
            for (var i = 0; i < list.Children.Count; i++)
            {
                var item = list.Children[i];
                if (item is not YamlMappingNode map)
                {
                    s.Error(item, $"datasets[{i}]", "expected a mapping such as {dataset_name: gsm8k, expected_value: 0.95}");
                    continue;
                }
                var d = ReadDataset(new YamlSection(s.File, $"{s.Path}.datasets[{i}]", map, s.Errors));
                if (d is not null) datasets.Add(d);
            }
        }
        else if (node is not null)
        {
            s.Error(node, "datasets", "expected a list of datasets");
        }
        return datasets;
    }

    private static AccuracyDataset? ReadDataset(YamlSection d)
    {
        var name = d.String("dataset_name");
        var alias = d.String("name");
        if (name is not null && alias is not null && name != alias)
            d.Error(d.Raw("name"), "name", $"conflicts with dataset_name '{name}'; keep only dataset_name");
        name ??= alias;
        if (string.IsNullOrEmpty(name))
            d.Error(d.Node, "dataset_name", "is required (the lm_eval task, e.g. gsm8k); 'name' is accepted as an alias");
        var defaults = AccuracyDefaults.For(name ?? "");
        var result = new AccuracyDataset(
            name ?? "",
            d.Double("expected_value") ?? 0.0,
            d.Enum("threshold_type", ThresholdTypes) ?? ThresholdType.HypothesisTest,
            d.Enum("filter_type", Filters) ?? AccuracyFilter.FlexibleExtract,
            d.Double("alpha") ?? defaults.Alpha,
            d.Double("beta") ?? defaults.Beta,
            d.Double("sigma") ?? defaults.Sigma,
            d.Int("num_samples", min: 1) ?? defaults.NumSamples,
            d.Bool("higher_is_better") ?? defaults.HigherIsBetter,
            d.Node is null ? d.File : $"{d.File}:{YamlSection.LineOf(d.Node)}");
        d.ReportUnknownKeys();
        return string.IsNullOrEmpty(name) ? null : result;
    }
}
