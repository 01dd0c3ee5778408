using Disagg.Harness.Configuration;
using System.Text.Json.Nodes;

namespace Disagg.Harness.Publishing;

/// <summary>One concurrency: its metrics by catalog name and the OpenSearch document, so both stores stay comparable.</summary>
public sealed record PerfDbConcurrency(int Concurrency, int? Prompts, IReadOnlyDictionary<string, double> Metrics, string DocumentJson);
