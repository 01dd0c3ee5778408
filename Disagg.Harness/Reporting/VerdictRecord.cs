namespace Disagg.Harness.Reporting;

public sealed record VerdictRecord(string Rule, string? Source, int? Concurrency, double? Value, bool Passed)
{
    public string Describe()
    {
        var at = Concurrency is { } c && !Rule.Contains(" at c=", StringComparison.Ordinal) ? $" at c={c}" : "";
        var value = Value is { } v ? $": {ReportFormat.Number(v)}" : "";
        var source = string.IsNullOrEmpty(Source) ? "" : $" ({Path.GetFileName(Source)})";
        return $"{Rule}{at}{value} failed{source}";
    }
}
