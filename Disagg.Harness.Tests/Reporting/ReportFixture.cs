using Disagg.Harness.Reporting;
using Disagg.Harness.Tests.Fixtures;

namespace Disagg.Harness.Tests.Reporting;

/// <summary>
/// The reporting fixture run (Fixtures/reporting/run1): the real simulator smoke test (results.json of a local-cluster
/// run), a derived threshold failure with three concurrencies, baselines and a diagnosis archive, a job that died before
/// benchmarking, and a test known only from the TRX (invalid config, no results.json).
/// </summary>
internal static class ReportFixture
{
    public const string PassedId = "disagg_perf_sim-tiny_128-32_ctx1_tep1_gen1_tep1_bs16_eplb0_mtp0_ccb-UCX";
    public const string ThresholdFailId = "disagg_perf_sim-tiny_128-32_ctx1_tep1_gen2_tep1_bs16_eplb0_mtp0_ccb-NIXL";
    public const string CrashedId = "disagg_perf_sim-tiny_128-32_ctx1_tep1_gen1_tep1_bs16_eplb0_mtp0_ccb-MPI";
    public const string TrxOnlyId = "disagg_perf_sim-tiny_bad-config";

    public static readonly string[] AllIds = [CrashedId, PassedId, ThresholdFailId, TrxOnlyId];

    public static readonly DateTimeOffset GeneratedAt = new(2026, 11, 28, 21, 0, 0, TimeSpan.Zero);

    public static string Dir => FixturePaths.Fixture("reporting", "run1");

    public static RunReport Read() => ReportReader.Read(Dir);

    /// <summary>A writable copy of the fixture run, so reports land next to the test folders they link to.</summary>
    public static string CopyToTemp()
    {
        var target = Path.Combine(Path.GetTempPath(), "disagg-report-" + Guid.NewGuid().ToString("N")[..8]);
        foreach (var file in Directory.GetFiles(Dir, "*", SearchOption.AllDirectories))
        {
            var dest = Path.Combine(target, Path.GetRelativePath(Dir, file));
            Directory.CreateDirectory(Path.GetDirectoryName(dest)!);
            File.Copy(file, dest);
        }
        return target;
    }
}
