using System.Globalization;
using System.Text;
using Disagg.Harness.Cluster;
using Disagg.Harness.Common;
using Disagg.Harness.Execution;

namespace Disagg.Harness.Diagnostics;

/// <summary>Everything <see cref="DiagnosisSummary"/> writes; gathered by <see cref="DiagnosisPackager"/>.</summary>
public sealed record SummaryInput(
    string TestId,
    string? JobId,
    string Status,
    string PackagedBy,
    DateTimeOffset PackagedAt,
    JobOutcome? Outcome,
    IReadOnlyList<string> Problems,
    IReadOnlyList<PhaseEvent> Phases,
    IReadOnlyList<PackagedLog> Logs,
    IReadOnlyList<string> Files,
    string FullLogs);
