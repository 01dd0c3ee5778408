using System.Globalization;
using Disagg.Harness.Common;
using Disagg.Harness.Configuration;
using YamlDotNet.RepresentationModel;

namespace Disagg.Harness.Configuration;

/// <summary>
/// Reads the top-level <c>regression:</c> mapping (docs/thresholds.md). A missing section gives
/// <see cref="RegressionSettings.Default"/>; every bad entry becomes a located <see cref="ConfigError"/>.
/// </summary>
public static class RegressionSettingsParser
{
    private static readonly Dictionary<string, FailOnRegression> FailOnValues = new(StringComparer.Ordinal)
    {
        ["auto"] = FailOnRegression.Auto,
        ["always"] = FailOnRegression.Always,
        ["never"] = FailOnRegression.Never,
    };

    private static readonly Dictionary<string, RegressionRuleKind> RuleValues = new(StringComparer.Ordinal)
    {
        ["fixed"] = RegressionRuleKind.Fixed,
        ["noise_aware"] = RegressionRuleKind.NoiseAware,
    };

    public static RegressionSettings Parse(YamlNode? node, string file, List<ConfigError> errors)
    {
        if (node is null) return RegressionSettings.Default;
        if (node is not YamlMappingNode mapping)
        {
            errors.Add(new ConfigError(file, YamlSection.LineOf(node), YamlSection.ColumnOf(node), "regression",
                "expected a mapping such as '{gating_metrics: [output_token_throughput], post_merge_tolerance: 0.05}'"));
            return RegressionSettings.Default;
        }
        var s = new YamlSection(file, "regression", mapping, errors);
        var enabled = s.Bool("enabled") ?? true;
        var gating = Gating(s);
        var post = Tolerance(s, "post_merge_tolerance") ?? RegressionSettings.DefaultPostMerge;
        var pre = Tolerance(s, "pre_merge_tolerance") ?? RegressionSettings.DefaultPreMerge;
        var lookback = s.Int("lookback_days", min: 1) ?? RegressionSettings.DefaultLookbackDays;
        var failOn = s.Enum("fail_on_regression", FailOnValues) ?? FailOnRegression.Auto;
        var perMetric = PerMetric(s.Section("metrics"), gating);
        var rule = s.Enum("rule", RuleValues) ?? RegressionRuleKind.NoiseAware;
        var confirmRuns = s.Int("confirm_runs", min: 0, max: 10) ?? RegressionSettings.DefaultConfirmRuns;
        var alpha = Tolerance(s, "alpha") ?? RegressionSettings.DefaultAlpha;
        var extra = s.Double("confirm_extra_time") ?? RegressionSettings.DefaultConfirmExtraTime;
        if (extra < 0) s.Error(s.Raw("confirm_extra_time")!, "confirm_extra_time", $"must be >= 0 (a fraction of the job's time limit), got {extra}");
        var historyRuns = s.Int("history_runs", min: 5) ?? RegressionSettings.DefaultHistoryRuns;
        s.ReportUnknownKeys();
        return new RegressionSettings(enabled, gating, post, pre, perMetric, lookback, failOn, $"{file}:{YamlSection.LineOf(mapping)}")
        {
            Rule = rule,
            ConfirmRuns = confirmRuns,
            Alpha = alpha,
            ConfirmExtraTime = Math.Max(0, extra),
            HistoryRuns = historyRuns,
        };
    }

    private static IReadOnlyList<string>? Gating(YamlSection s)
    {
        var node = s.Raw("gating_metrics");
        if (node is null) return null;
        if (node is not YamlSequenceNode list)
        {
            s.Error(node, "gating_metrics", "expected a list of metric names, e.g. [output_token_throughput, total_token_throughput]");
            return null;
        }
        var names = new List<string>();
        foreach (var item in list.Children)
        {
            var name = (item as YamlScalarNode)?.Value ?? "";
            if (CheckMetric(s, item, "gating_metrics", name)) names.Add(name);
        }
        return names;
    }

    private static bool CheckMetric(YamlSection s, YamlNode at, string key, string name)
    {
        var info = MetricCatalog.ByName(name);
        if (info is null)
        {
            s.Error(at, key, $"unknown metric '{name}'{TextSimilarity.DidYouMean(name, MetricCatalog.Names)}");
            return false;
        }
        if (info.Direction == Direction.None)
        {
            s.Error(at, key, $"'{name}' has no better direction (neither maximize nor minimize) and cannot gate; pick a throughput or latency metric");
            return false;
        }
        return true;
    }

    private static Dictionary<string, ToleranceOverride> PerMetric(YamlSection metrics, IReadOnlyList<string>? gating)
    {
        var result = new Dictionary<string, ToleranceOverride>(StringComparer.Ordinal);
        if (!metrics.Exists) return result;
        foreach (var (keyNode, _) in metrics.Node!.Children)
        {
            var name = (keyNode as YamlScalarNode)?.Value ?? "";
            if (!CheckMetric(metrics, keyNode, name, name)) continue;
            var m = metrics.Section(name);
            if (!m.Exists) continue;
            var entry = new ToleranceOverride(Tolerance(m, "post_merge_tolerance"), Tolerance(m, "pre_merge_tolerance"));
            m.ReportUnknownKeys();
            if (gating is not null && !gating.Contains(name))
                metrics.Error(keyNode, name, $"has a tolerance but is not in gating_metrics; add it there or remove this entry");
            result[name] = entry;
        }
        return result;
    }

    /// <summary>A fraction in (0, 1) such as 0.05, or a percentage string such as "5%".</summary>
    private static double? Tolerance(YamlSection s, string key)
    {
        var node = s.Raw(key);
        if (node is null) return null;
        var text = (node as YamlScalarNode)?.Value?.Trim() ?? "";
        var percent = text.EndsWith('%');
        if (!double.TryParse(percent ? text[..^1] : text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value))
        {
            s.Error(node, key, $"expected a fraction such as 0.05 or a percentage such as \"5%\", got '{text}'");
            return null;
        }
        if (percent) value /= 100;
        if (value is <= 0 or >= 1)
        {
            s.Error(node, key, $"must be between 0 and 1 exclusive as a fraction (0.05 = 5 %), got {text}; write \"5%\" or 0.05");
            return null;
        }
        return value;
    }
}
