using Disagg.Harness.Configuration;
using System.Text.Json.Nodes;

namespace Disagg.Harness.Publishing;

/// <summary>The rows one test writes to the Perf DB. Pure: built from the record and its OpenSearch documents.</summary>
public sealed record PerfDbRun(
    string RunId,
    string TestId,
    bool Passed,
    IReadOnlyList<string> Problems,
    string GpuType,
    string BenchmarkMode,
    int NumCtxServers,
    int NumGenServers,
    JobFacts Job,
    string ConfigJson,
    string CiJson,
    IReadOnlyList<PerfDbConcurrency> Concurrencies)
{
    /// <summary>The history columns of <c>perf_tests</c> (migration 4); null writes none.</summary>
    public PerfDbHistoryColumns? History { get; init; }

    /// <summary>perf_tests.failure_class (migration 3): infrastructure, product, configuration; empty for a pass.</summary>
    public string FailureClass { get; init; } = "";

    /// <summary>perf_tests.cluster (migration 3): the cluster profile's name.</summary>
    public string Cluster { get; init; } = "";

    public static PerfDbRun From(PublishRecord record, IReadOnlyList<JsonObject> documents)
    {
        var ci = CiContext.From(record.Environment);
        var byConcurrency = documents.ToDictionary(d => (int)d["l_concurrency"]!.GetValue<long>());
        return new PerfDbRun(record.RunId, record.TestId, record.Passed, record.Problems, record.GpuType, record.BenchmarkMode,
            record.NumCtxServers, record.NumGenServers, record.Job, record.ResolvedConfigJson,
            System.Text.Json.JsonSerializer.Serialize(ci),
            [.. record.Results.Select(r => new PerfDbConcurrency(r.Concurrency, r.Prompts, r.Metrics,
                byConcurrency.TryGetValue(r.Concurrency, out var doc) ? DocumentJson.Serialize([doc])[1..^1] : "{}")
            {
                OutputTpsPerGpu = PerGpuThroughput.PerGpu(record, r),
                ThroughputGpus = PerGpuThroughput.Gpus(record),
                Samples = r.Samples,
            })])
        {
            History = PerfDbHistoryColumns.From(record),
            FailureClass = record.FailureClass,
            Cluster = record.Cluster,
        };
    }
}
