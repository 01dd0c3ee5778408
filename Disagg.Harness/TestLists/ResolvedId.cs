using System.Text.RegularExpressions;
using Disagg.Harness.Common;
using Disagg.Harness.Configuration;

namespace Disagg.Harness.TestLists;

/// <summary>What one list entry names: a test id (with perf-sanity flags), an explicit exclusion, or an error.</summary>
public sealed record ResolvedId(string? TestId, bool? Upload, BenchmarkMode? Mode, string? Excluded, string? Error);
