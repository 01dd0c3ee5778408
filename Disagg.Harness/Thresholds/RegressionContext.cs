using Disagg.Harness.Configuration;

namespace Disagg.Harness.Thresholds;

/// <summary>
/// Where a run happens: pre- or post-merge, whether its stage is FUNCTIONAL-ONLY (never fails on perf), gen_only and
/// speculative decoding (which choose the default gating metrics), and the <see cref="Identity"/> its history is looked
/// up by. Built from CI variables and the config by <c>Publishing.RegressionContextFactory</c>.
/// </summary>
public sealed record RegressionContext(
    string TestCase,
    DateTimeOffset Now,
    RunKind Kind,
    bool FunctionalOnly = false,
    bool GenOnly = false,
    bool SpeculativeDecoding = false)
{
    private readonly HistoryIdentity? _identity;

    /// <summary>How the run's cases are named and matched in history; <see cref="HistoryIdentity.Default"/> of the test id when not set.</summary>
    public HistoryIdentity Identity
    {
        get => _identity ?? HistoryIdentity.Default(TestCase);
        init => _identity = value;
    }

    public CaseKey KeyFor(int concurrency) => Identity.KeyFor(concurrency);
}
