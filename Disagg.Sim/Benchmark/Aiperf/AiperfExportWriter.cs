using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Disagg.Sim.Benchmark.Aiperf;

/// <summary>
/// Writes aiperf's artifacts into <c>--artifact-dir</c>: <c>profile_export_aiperf.json</c> (top-level metric tags with
/// <c>unit</c>/<c>avg</c>/… blocks, the input config, <c>was_cancelled</c>, <c>error_summary</c>),
/// <c>profile_export_aiperf.csv</c> (distributions, a blank line, then scalar metrics) and, with
/// <c>--profile-export-level records</c>, <c>profile_export.jsonl</c> with one record per request.
/// </summary>
internal static class AiperfExportWriter
{
    public const string JsonName = "profile_export_aiperf.json";
    public const string CsvName = "profile_export_aiperf.csv";
    public const string RecordsName = "profile_export.jsonl";

    public static string Json(AiperfSummary summary, AiperfOptions options, bool cancelled, DateTime start, DateTime end)
    {
        using var stream = new MemoryStream();
        using (var w = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true }))
        {
            w.WriteStartObject();
            w.WriteString("schema_version", "1.1");
            w.WriteString("aiperf_version", "disagg-sim");
            w.WriteString("benchmark_id", Guid.NewGuid().ToString("N"));
            foreach (var stat in summary.Stats)
            {
                w.WriteStartObject(stat.Tag);
                w.WriteString("unit", stat.Unit);
                foreach (var (name, value) in stat.Fields())
                {
                    w.WriteNumber(name, value);
                }

                if (stat.Values is { } values)
                {
                    w.WriteNumber("count", values.Count);
                    w.WriteNumber("sum", values.Sum());
                }

                w.WriteEndObject();
            }

            w.WriteStartObject("input_config");
            w.WriteString("model", options.Model);
            w.WriteString("url", options.Url);
            w.WriteString("endpoint_type", "chat");
            w.WriteBoolean("streaming", true);
            w.WriteString("input_file", options.InputFile);
            w.WriteString("custom_dataset_type", "mooncake_trace");
            w.WriteNumber("concurrency", options.Concurrency);
            if (options.RequestCount is { } count)
            {
                w.WriteNumber("request_count", count);
            }

            w.WriteString("cli_command", options.CommandLine);
            w.WriteEndObject();
            w.WriteBoolean("was_cancelled", cancelled);
            w.WriteStartArray("error_summary");
            foreach (var (type, message, code, n) in summary.Errors)
            {
                w.WriteStartObject();
                w.WriteStartObject("error_details");
                w.WriteNumber("code", code);
                w.WriteString("type", type);
                w.WriteString("message", message);
                w.WriteEndObject();
                w.WriteNumber("count", n);
                w.WriteEndObject();
            }

            w.WriteEndArray();
            w.WriteString("start_time", start.ToString("o", CultureInfo.InvariantCulture));
            w.WriteString("end_time", end.ToString("o", CultureInfo.InvariantCulture));
            w.WriteEndObject();
        }

        return Encoding.UTF8.GetString(stream.ToArray()) + "\n";
    }

    public static string Csv(AiperfSummary summary)
    {
        var sb = new StringBuilder();
        var header = new[] { "avg", "min", "max" }.Concat(AiperfStat.PercentileFields.Select(p => p.Name)).Append("std").ToList();
        sb.Append("Metric,").AppendJoin(',', header).Append('\n');
        foreach (var stat in summary.Stats.Where(s => s.IsRecord))
        {
            sb.Append(Quote(stat.Header)).Append(',').AppendJoin(',', header.Select(h => Number(stat.Field(h)))).Append('\n');
        }

        sb.Append('\n').Append("Metric,Value\n");
        foreach (var stat in summary.Stats.Where(s => !s.IsRecord))
        {
            sb.Append(Quote(stat.Header)).Append(',').Append(Number(stat.Avg)).Append('\n');
        }

        return sb.ToString();
    }

    public static string Records(IReadOnlyList<AiperfRecord> records, long startEpochNs)
    {
        var sb = new StringBuilder();
        foreach (var r in records.OrderBy(r => r.Index))
        {
            var metrics = new Dictionary<string, object>(StringComparer.Ordinal);
            if (r.Success)
            {
                metrics["input_sequence_length"] = new { value = r.InputLength, unit = "tokens" };
                metrics["time_to_first_token"] = new { value = r.TtftMs, unit = "ms" };
                metrics["request_latency"] = new { value = r.LatencyMs, unit = "ms" };
                metrics["output_sequence_length"] = new { value = r.OutputLength, unit = "tokens" };
                if (r.InterTokenLatencyMs is { } itl)
                {
                    metrics["inter_token_latency"] = new { value = itl, unit = "ms" };
                }
            }
            else
            {
                metrics["error_isl"] = new { value = r.InputLength, unit = "tokens" };
            }

            var record = new
            {
                metadata = new
                {
                    session_num = r.Index,
                    turn_index = 0,
                    request_start_ns = startEpochNs + (long)(r.StartS * 1e9),
                    request_end_ns = startEpochNs + (long)(r.EndS * 1e9),
                    benchmark_phase = "profiling",
                },
                metrics,
                error = r.Success ? null : new { code = r.ErrorCode, type = r.ErrorType, message = r.ErrorMessage },
            };
            sb.Append(JsonSerializer.Serialize(record)).Append('\n');
        }

        return sb.ToString();
    }

    private static string Quote(string text) => text.Contains(',', StringComparison.Ordinal) ? "\"" + text + "\"" : text;

    private static string Number(double value) => value.ToString("0.##", CultureInfo.InvariantCulture);
}
