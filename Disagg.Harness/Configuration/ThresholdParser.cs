using System.Globalization;
using System.Text.RegularExpressions;
using Disagg.Harness.Common;
using Disagg.Harness.Configuration;
using YamlDotNet.RepresentationModel;

namespace Disagg.Harness.Configuration;

/// <summary>Reads the config's <c>thresholds:</c> list; every bad entry becomes a located error.</summary>
public static partial class ThresholdParser
{
    [GeneratedRegex(@"^\s*([a-z0-9_]+)\s*(<=|>=)\s*(-?[0-9]+(?:\.[0-9]+)?)\s*(?:at\s+c\s*=\s*([0-9]+))?\s*$")]
    private static partial Regex RuleText();

    public static IReadOnlyList<ThresholdRule> Parse(YamlNode? node, string file, List<ConfigError> errors)
    {
        var rules = new List<ThresholdRule>();
        if (node is null) return rules;
        if (node is not YamlSequenceNode list)
        {
            errors.Add(new ConfigError(file, YamlSection.LineOf(node), YamlSection.ColumnOf(node), "thresholds",
                "expected a list of rules such as 'median_ttft_ms <= 350 at c=16'"));
            return rules;
        }
        for (var i = 0; i < list.Children.Count; i++)
        {
            var item = list.Children[i];
            var path = $"thresholds[{i}]";
            var rule = item switch
            {
                YamlScalarNode s => FromText(s, file, path, errors),
                YamlMappingNode m => FromMapping(m, file, path, errors),
                _ => Fail(item, file, path, "expected a rule string or a mapping", errors),
            };
            if (rule is not null) rules.Add(rule);
        }
        return rules;
    }

    private static ThresholdRule? FromText(YamlScalarNode s, string file, string path, List<ConfigError> errors)
    {
        var m = RuleText().Match(s.Value ?? "");
        if (!m.Success)
            return Fail(s, file, path,
                $"cannot read rule '{s.Value}'; expected '<metric> <=|>= <number> [at c=<concurrency>]', e.g. 'median_ttft_ms <= 350 at c=16'", errors);
        var comparison = m.Groups[2].Value == "<=" ? Comparison.AtMost : Comparison.AtLeast;
        var bound = double.Parse(m.Groups[3].Value, CultureInfo.InvariantCulture);
        int? c = m.Groups[4].Success ? int.Parse(m.Groups[4].Value, CultureInfo.InvariantCulture) : null;
        return Checked(m.Groups[1].Value, comparison, bound, c, s, file, path, errors);
    }

    private static ThresholdRule? FromMapping(YamlMappingNode m, string file, string path, List<ConfigError> errors)
    {
        var section = new YamlSection(file, path, m, errors);
        var metric = section.String("metric", required: true);
        var max = section.Double("max");
        var min = section.Double("min");
        var c = section.Int("concurrency", min: 1);
        section.ReportUnknownKeys();
        if (metric is null) return null;
        if ((max is null) == (min is null))
            return Fail(m, file, path, "give exactly one of 'max' or 'min'", errors);
        return max is { } upper
            ? Checked(metric, Comparison.AtMost, upper, c, m, file, path, errors)
            : Checked(metric, Comparison.AtLeast, min!.Value, c, m, file, path, errors);
    }

    private static ThresholdRule? Checked(string metric, Comparison comparison, double bound, int? c, YamlNode at, string file, string path,
        List<ConfigError> errors)
    {
        if (MetricCatalog.ByName(metric) is null)
        {
            return Fail(at, file, path, $"unknown metric '{metric}'{TextSimilarity.DidYouMean(metric, MetricCatalog.Names)}", errors);
        }
        return new ThresholdRule(metric, comparison, bound, c, $"{file}:{YamlSection.LineOf(at)}");
    }

    private static ThresholdRule? Fail(YamlNode at, string file, string path, string message, List<ConfigError> errors)
    {
        errors.Add(new ConfigError(file, YamlSection.LineOf(at), YamlSection.ColumnOf(at), path, message));
        return null;
    }
}
