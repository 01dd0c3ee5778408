using System.Globalization;
using YamlDotNet.RepresentationModel;

namespace Disagg.Harness.Configuration;

/// <summary>
/// <c>concurrency_list</c> as a space-separated string, an integer or a YAML list of integers. A comma
/// list is rejected: the old scripts silently ran only its last value.
/// </summary>
public static class ConcurrencyList
{
    public static IReadOnlyList<int> Read(YamlSection s)
    {
        const string key = "concurrency_list";
        var node = s.Raw(key);
        var values = new List<int>();
        switch (node)
        {
            case null:
                s.Error(null, key, "is required (e.g. '1 4 16' or [1, 4, 16]) but missing");
                break;
            case YamlSequenceNode seq:
                foreach (var item in seq.Children)
                {
                    if (item is YamlScalarNode sc && Positive(sc.Value) is { } v)
                        values.Add(v);
                    else
                        s.Error(item, key, $"list entries must be integers from 1 to {InputLimits.MaxConcurrency}, " +
                            $"got '{Names.Show((item as YamlScalarNode)?.Value ?? item.NodeType.ToString())}'");
                }
                break;
            case YamlScalarNode scalar:
                var text = scalar.Value ?? "";
                if (text.Contains(',', StringComparison.Ordinal))
                {
                    var spaced = string.Join(' ', text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
                    s.Error(scalar, key, $"'{Names.Show(text)}' uses commas; write the values space-separated ('{Names.Show(spaced)}') or as a YAML list");
                    break;
                }
                foreach (var word in text.Split(' ', StringSplitOptions.RemoveEmptyEntries))
                {
                    if (Positive(word) is { } v) values.Add(v);
                    else s.Error(scalar, key, $"'{Names.Show(word)}' is not an integer from 1 to {InputLimits.MaxConcurrency}");
                    if (values.Count > InputLimits.MaxConcurrencyValues) break;
                }
                break;
            default:
                s.Error(node, key, "expected a space-separated string or a list of integers");
                break;
        }
        if (values.Count > InputLimits.MaxConcurrencyValues)
            s.Error(node, key, $"has more than {InputLimits.MaxConcurrencyValues} values (docs/limits.md)");
        return values;
    }

    /// <summary>A concurrency from 1 to <see cref="InputLimits.MaxConcurrency"/>, or null.</summary>
    private static int? Positive(string? text) =>
        int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var v) && v is > 0 and <= InputLimits.MaxConcurrency ? v : null;
}
