using Disagg.Harness.Configuration;
using Disagg.Harness.Thresholds;

namespace Disagg.Harness.Publishing;

/// <summary>
/// The names a test's documents carry, so a team switching to Disagg continues the history of the same YAML:
/// the server name <c>{mode}-{stem}</c> (mode <c>e2e</c> or <c>gen_only</c>, stem the config file name without
/// extension), the test list label <c>disagg_upload-{mode}-{stem}</c>, and the test case name
/// <c>{mode}-{stem}-con{c}_iter{i}_isl{isl}_osl{osl}</c>. Disagg's own test id stays in <c>s_disagg_test_id</c>.
/// </summary>
public static class CaseNames
{
    public static string Mode(DisaggConfig config) => config.Benchmark.Mode == BenchmarkMode.E2E ? "e2e" : "gen_only";

    /// <summary>The config file's name without extension; the test id when the config has no file.</summary>
    public static string Stem(DisaggConfig config, string testId) =>
        Path.GetFileNameWithoutExtension(config.SourceFile) is { Length: > 0 } stem ? stem : testId;

    public static string ServerName(DisaggConfig config, string testId) => $"{Mode(config)}-{Stem(config, testId)}";

    public static string TestList(DisaggConfig config, string testId) => $"disagg_upload-{ServerName(config, testId)}";

    /// <summary>Whether ctx or gen sets any speculative <c>decoding_type</c> (MTP, Eagle3, a draft model, ...).</summary>
    public static bool SpeculativeDecoding(DisaggConfig config) =>
        !string.IsNullOrEmpty(config.Ctx.DecodingType) || !string.IsNullOrEmpty(config.Gen.DecodingType);

    /// <summary>How the run's cases are named and looked up in history.</summary>
    public static HistoryIdentity Identity(DisaggConfig config, string testId, string gpuType, string lookupBranch) =>
        new(ServerName(config, testId), config.Benchmark.MultiRound, config.Benchmark.InputLength, config.Benchmark.OutputLength,
            gpuType, HistoryIdentity.DisaggRuntime, lookupBranch);
}
