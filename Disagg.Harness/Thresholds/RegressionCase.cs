using System.Globalization;

namespace Disagg.Harness.Thresholds;

/// <summary>
/// What the regression rule concluded for one test case (one concurrency), in the form its document records:
/// whether history exists, whether a gating metric regressed, whether the pre-merge gate was waived because the
/// latest post-merge run already misses it, every metric compared with its baseline, and the baseline and threshold
/// fields pinned by the newest history record that has them (a post-merge document inherits these).
/// </summary>
public sealed record RegressionCase(
    int Concurrency,
    string TestCaseName,
    bool HasHistory,
    bool IsRegression,
    IReadOnlyList<RegressionLine> Lines,
    IReadOnlyDictionary<string, double> Pinned)
{
    /// <summary>The gating metric whose latest post-merge value already misses the pre-merge gate, when that waived the gate.</summary>
    public RegressionLine? ExemptBy { get; init; }

    public const string ExemptionNote = "Not failing this stage: the latest post-merge run of this test case already misses the same threshold";

    /// <summary>The <c>s_regression_info</c> text: empty without history.</summary>
    public string Info
    {
        get
        {
            if (!HasHistory) return "";
            var lines = new List<string> { $"Regression in {TestCaseName}:" };
            lines.AddRange(Lines.Select(l => l.Text));
            if (ExemptBy is { } e)
                lines.Add(string.Create(CultureInfo.InvariantCulture,
                    $"{ExemptionNote} ({e.Field}: latest post-merge value={e.Value:F4} baseline={e.Baseline:F4} threshold={e.Threshold * 100:F2}%)."));
            return string.Join("\n", lines);
        }
    }
}
