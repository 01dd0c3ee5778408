using System.Globalization;

namespace Disagg.Sim.Cli;

/// <summary>The result of parsing one verb's command line. Values are looked up by canonical flag name.</summary>
internal sealed class ParsedArgs(CommandSpec spec)
{
    private readonly Dictionary<string, string> _values = new(StringComparer.Ordinal);
    private readonly Dictionary<string, List<string>> _lists = new(StringComparer.Ordinal);
    private readonly HashSet<string> _switches = new(StringComparer.Ordinal);

    public CommandSpec Spec { get; } = spec;

    public List<string> Positionals { get; } = [];

    public bool HelpRequested { get; set; }

    public void SetValue(string name, string value) => _values[name] = value;

    public void SetSwitch(string name) => _switches.Add(name);

    public void SetList(string name, List<string> values) => _lists[name] = values;

    /// <summary>True if the flag appeared (switch, value or list).</summary>
    public bool Has(string name) => _switches.Contains(name) || _values.ContainsKey(name) || _lists.ContainsKey(name);

    public bool Switch(string name) => _switches.Contains(name);

    public string? String(string name) => _values.GetValueOrDefault(name);

    public string String(string name, string fallback) => _values.GetValueOrDefault(name) ?? fallback;

    public IReadOnlyList<string>? List(string name) => _lists.GetValueOrDefault(name);

    public int? Int(string name)
    {
        var raw = String(name);
        if (raw is null)
        {
            return null;
        }

        return int.TryParse(raw, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value)
            ? value
            : throw new UsageException($"argument {name}: invalid int value: '{raw}'");
    }

    public int Int(string name, int fallback) => Int(name) ?? fallback;

    public double? Double(string name)
    {
        var raw = String(name);
        if (raw is null)
        {
            return null;
        }

        if (string.Equals(raw, "inf", StringComparison.OrdinalIgnoreCase))
        {
            return double.PositiveInfinity;
        }

        return double.TryParse(raw, NumberStyles.Float, CultureInfo.InvariantCulture, out var value)
            ? value
            : throw new UsageException($"argument {name}: invalid float value: '{raw}'");
    }

    public double Double(string name, double fallback) => Double(name) ?? fallback;
}
