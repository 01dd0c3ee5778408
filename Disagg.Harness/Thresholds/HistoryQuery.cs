namespace Disagg.Harness.Thresholds;

/// <summary>
/// What the regression rule asks for: the valid, non-baseline, post-merge records created since a UTC day that match one
/// of the run's case keys (one per concurrency).
/// </summary>
public sealed record HistoryQuery(IReadOnlyList<CaseKey> Keys, DateTimeOffset Since)
{
    public bool Wants(HistoryRecord record) => record.IsPostMerge && record.Timestamp >= Since && Keys.Any(k => k.Matches(record.Key));

    /// <summary>
    /// The key fields whose value is the same in every key (an empty string included, an absent value not), in
    /// <see cref="CaseKey.Fields"/> order: the narrowing filters of the history query.
    /// </summary>
    public IReadOnlyList<KeyValuePair<string, string>> CommonValues()
    {
        var common = new List<KeyValuePair<string, string>>();
        if (Keys.Count == 0) return common;
        foreach (var field in CaseKey.Fields)
        {
            var values = Keys.Select(k => k[field]).ToList();
            if (values.All(v => v is not null) && values.Distinct(StringComparer.Ordinal).Count() == 1) common.Add(new(field, values[0]!));
        }
        return common;
    }

    /// <summary>The case names, for messages.</summary>
    public string Describe() => string.Join(", ", Keys.Select(k => k.TestCaseName));
}
