using Disagg.Harness.Configuration;
using YamlDotNet.RepresentationModel;

namespace Disagg.Harness.Thresholds;

/// <summary>
/// Reads <c>metadata.accuracy.datasets</c> (config-schema.md §10.2). <c>dataset_name</c> selects the dataset,
/// <c>name</c> is accepted as an alias, and an entry with neither is an error (known-defects 11).
/// </summary>
public static class AccuracyDatasetsParser
{
    public static IReadOnlyList<AccuracyDataset> Parse(YamlNode? datasets, string file, List<ConfigError> errors)
    {
        var result = new List<AccuracyDataset>();
        if (datasets is null) return result;
        if (datasets is not YamlSequenceNode list)
        {
            errors.Add(new ConfigError(file, YamlSection.LineOf(datasets), YamlSection.ColumnOf(datasets), "metadata.accuracy.datasets", "expected a list of {dataset_name, expected_value, ...}"));
            return result;
        }
        for (var i = 0; i < list.Children.Count; i++)
        {
            var path = $"metadata.accuracy.datasets[{i}]";
            if (list.Children[i] is not YamlMappingNode m)
            {
                errors.Add(new ConfigError(file, YamlSection.LineOf(list.Children[i]), YamlSection.ColumnOf(list.Children[i]), path, "expected a mapping with dataset_name and expected_value"));
                continue;
            }
            var s = new YamlSection(file, path, m, errors);
            var name = s.String("dataset_name") ?? s.String("name");
            if (name is null) s.Error(m, "dataset_name", "is required (the lm_eval task, e.g. gsm8k); 'name' is accepted as an alias");
            var type = s.String("threshold_type") ?? "hypothesis_test";
            if (type != "hypothesis_test")
                s.Error(s.Raw("threshold_type"), "threshold_type", $"Unsupported threshold_type: {type}. Only 'hypothesis_test' is supported.");
            var filter = s.String("filter_type") ?? "flexible-extract";
            if (filter is not ("flexible-extract" or "strict-match"))
                s.Error(s.Raw("filter_type"), "filter_type", $"'{filter}' is not one of flexible-extract, strict-match");
            var d = AccuracyDataset.Defaults(name ?? "");
            var dataset = new AccuracyDataset(name ?? "", s.Double("expected_value") ?? 0.0, filter,
                s.Double("alpha") ?? d.Alpha, s.Double("beta") ?? d.Beta, s.Double("sigma") ?? d.Sigma,
                s.Int("num_samples", min: 1) ?? d.N, s.Bool("higher_is_better") ?? d.Higher, $"{file}:{YamlSection.LineOf(m)}");
            if (dataset.Alpha is <= 0 or >= 1) s.Error(s.Raw("alpha"), "alpha", string.Create(System.Globalization.CultureInfo.InvariantCulture, $"must be strictly between 0 and 1, got {dataset.Alpha}"));
            s.ReportUnknownKeys();
            if (name is not null) result.Add(dataset);
        }
        return result;
    }
}
