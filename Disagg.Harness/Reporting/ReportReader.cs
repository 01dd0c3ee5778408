using System.Globalization;
using System.Text.Json;
using System.Xml.Linq;
using Disagg.Harness.Publishing;
using YamlDotNet.RepresentationModel;

namespace Disagg.Harness.Reporting;

/// <summary>
/// Reads a results directory into a <see cref="RunReport"/>: every <c>&lt;dir&gt;/*/results.json</c> plus the TRX files
/// at its top level. Tolerant by design: a malformed or partial results.json becomes a failed test with a problem
/// saying so, and a test the TRX names but that wrote no results.json still appears, with the TRX message.
/// </summary>
public static class ReportReader
{
    public static RunReport Read(string resultsDir)
    {
        if (!Directory.Exists(resultsDir)) throw new DirectoryNotFoundException($"results directory '{resultsDir}' does not exist");
        var trx = ReadTrx(resultsDir);
        var tests = new Dictionary<string, TestReport>(StringComparer.Ordinal);
        foreach (var dir in Directory.GetDirectories(resultsDir).Order(StringComparer.Ordinal))
        {
            var file = Path.Combine(dir, ResultsWriter.FileName);
            if (!File.Exists(file)) continue;
            var test = ReadTest(resultsDir, dir, file);
            if (trx.TryGetValue(test.TestId, out var t)) test = test with { TrxOutcome = t.Outcome, Start = t.Start ?? test.Start, End = t.End ?? test.End };
            tests[test.TestId] = test;
        }
        foreach (var (id, t) in trx)
        {
            if (tests.ContainsKey(id)) continue;
            var folder = Directory.Exists(Path.Combine(resultsDir, id)) ? id : null;
            tests[id] = new TestReport
            {
                TestId = id,
                Passed = t.Outcome == "Passed",
                HasResults = false,
                TrxOutcome = t.Outcome,
                DurationSeconds = t.Duration,
                Problems = t.Outcome is "Passed" or "NotExecuted"
                    ? []
                    : [t.Message is { Length: > 0 } m ? m.Trim() : $"test outcome {t.Outcome}; it wrote no {ResultsWriter.FileName}"],
                SkipReason = t.Outcome == "NotExecuted" && t.Message is { Length: > 0 } reason ? reason.Trim() : null,
                Start = t.Start,
                End = t.End,
                Folder = folder,
                DiagnosisArchive = folder is null ? null : FindArchive(resultsDir, Path.Combine(resultsDir, id)),
            };
        }
        var ordered = tests.Values.OrderBy(t => t.TestId, StringComparer.Ordinal).ToList();
        return new RunReport(Path.GetFullPath(resultsDir), ordered) { Environment = RunEnvironment.Read(resultsDir, ordered) };
    }

    private static TestReport ReadTest(string resultsDir, string dir, string file)
    {
        var folderName = Path.GetFileName(dir);
        var archive = FindArchive(resultsDir, dir);
        JsonElement root;
        try
        {
            using var doc = JsonDocument.Parse(File.ReadAllText(file));
            root = doc.RootElement.Clone();
        }
        catch (JsonException e)
        {
            return new TestReport
            {
                TestId = folderName, Passed = false, Folder = folderName, DiagnosisArchive = archive,
                Problems = [$"{folderName}/{ResultsWriter.FileName} is not valid JSON: {e.Message}"],
            };
        }
        if (root.ValueKind != JsonValueKind.Object)
            return new TestReport
            {
                TestId = folderName, Passed = false, Folder = folderName, DiagnosisArchive = archive,
                Problems = [$"{folderName}/{ResultsWriter.FileName} is not a JSON object"],
            };

        var phases = Array(root, "phases")
            .Select(p => Str(p, "at") is { } at && DateTimeOffset.TryParse(at, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var when)
                ? new PhaseRecord(when, Str(p, "phase") ?? "") : null)
            .OfType<PhaseRecord>().ToList();
        var duration = Num(root, "duration_s");
        var start = phases.Count > 0 ? phases.Min(p => p.At) : (DateTimeOffset?)null;
        var (model, precision) = ReadMetadata(root, dir);
        return new TestReport
        {
            TestId = Str(root, "test_id") ?? folderName,
            Passed = root.TryGetProperty("passed", out var p) && p.ValueKind == JsonValueKind.True,
            JobId = Str(root, "job_id"),
            JobState = Str(root, "job_state"),
            ExitCode = Str(root, "exit_code"),
            Nodes = Str(root, "nodes"),
            DurationSeconds = duration,
            Problems = [.. Array(root, "problems").Select(e => e.ValueKind == JsonValueKind.String ? e.GetString()! : e.ToString())],
            FailureClass = Str(root, "failure_class"),
            FailureCause = Str(root, "failure_cause"),
            AttemptNote = Str(root, "attempts"),
            StaleWaiver = Str(root, "stale_waiver"),
            AvoidedNodes = [.. Array(root, "avoided_nodes").Where(e => e.ValueKind == JsonValueKind.String).Select(e => e.GetString()!)],
            Concurrencies = [.. Array(root, "concurrencies").Select(ReadConcurrency).OfType<ConcurrencyResult>().OrderBy(c => c.Concurrency)],
            Verdicts = [.. Array(root, "verdicts").Select(v => new VerdictRecord(
                Str(v, "rule") ?? "?", Str(v, "source"), (int?)Num(v, "concurrency"), Num(v, "value"),
                v.TryGetProperty("passed", out var vp) && vp.ValueKind == JsonValueKind.True))],
            Phases = phases,
            Baselines = ReadBaselines(root),
            ModelName = model,
            Precision = precision,
            Start = start,
            End = start is { } s && duration is { } d ? s + TimeSpan.FromSeconds(d) : null,
            Folder = folderName,
            DiagnosisArchive = archive,
        };
    }

    private static ConcurrencyResult? ReadConcurrency(JsonElement e)
    {
        if (Num(e, "concurrency") is not { } c) return null;
        var metrics = new SortedDictionary<string, double>(StringComparer.Ordinal);
        if (e.TryGetProperty("metrics", out var m) && m.ValueKind == JsonValueKind.Object)
            foreach (var prop in m.EnumerateObject())
                if (prop.Value.ValueKind == JsonValueKind.Number) metrics[prop.Name] = prop.Value.GetDouble();
        return new ConcurrencyResult((int)c, (int?)Num(e, "prompts"), metrics);
    }

    private static Dictionary<string, Baseline> ReadBaselines(JsonElement root)
    {
        var result = new Dictionary<string, Baseline>(StringComparer.Ordinal);
        if (!root.TryGetProperty("baselines", out var b) || b.ValueKind != JsonValueKind.Object) return result;
        foreach (var prop in b.EnumerateObject())
        {
            if (prop.Value.ValueKind == JsonValueKind.Number)
                result[prop.Name] = new Baseline(prop.Value.GetDouble(), new Dictionary<int, double>());
            else if (prop.Value.ValueKind == JsonValueKind.Object)
            {
                var by = new SortedDictionary<int, double>();
                foreach (var c in prop.Value.EnumerateObject())
                    if (int.TryParse(c.Name, NumberStyles.Integer, CultureInfo.InvariantCulture, out var conc) && c.Value.ValueKind == JsonValueKind.Number)
                        by[conc] = c.Value.GetDouble();
                if (by.Count > 0) result[prop.Name] = new Baseline(null, by);
            }
        }
        return result;
    }

    /// <summary>Model and precision: results.json <c>metadata</c> when present, else the config that job_meta.env names.</summary>
    private static (string? Model, string? Precision) ReadMetadata(JsonElement root, string dir)
    {
        if (root.TryGetProperty("metadata", out var md) && md.ValueKind == JsonValueKind.Object)
            return (Str(md, "model_name"), Str(md, "precision"));
        var meta = Path.Combine(dir, "job_meta.env");
        if (!File.Exists(meta)) return (null, null);
        var config = File.ReadLines(meta).Select(l => l.Trim())
            .FirstOrDefault(l => l.StartsWith("DISAGG_CONFIG=", StringComparison.Ordinal))?["DISAGG_CONFIG=".Length..].Trim('"', '\'');
        if (string.IsNullOrEmpty(config)) return (null, null);
        if (!Path.IsPathRooted(config)) config = Path.Combine(dir, config);
        if (!File.Exists(config)) return (null, null);
        try
        {
            var yaml = new YamlStream();
            using (var reader = new StreamReader(config)) yaml.Load(reader);
            if (yaml.Documents.Count == 0 || yaml.Documents[0].RootNode is not YamlMappingNode top) return (null, null);
            if (!top.Children.TryGetValue(new YamlScalarNode("metadata"), out var node) || node is not YamlMappingNode metadata) return (null, null);
            string? Scalar(string key) => metadata.Children.TryGetValue(new YamlScalarNode(key), out var v) && v is YamlScalarNode s ? s.Value : null;
            return (Scalar("model_name"), Scalar("precision"));
        }
        catch (YamlDotNet.Core.YamlException)
        {
            return (null, null);
        }
    }

    /// <summary>The diagnosis archive <c>&lt;test&gt;/job_*.tar.gz</c>, relative to the results directory.</summary>
    private static string? FindArchive(string resultsDir, string dir)
    {
        var file = Directory.GetFiles(dir, "job_*.tar.gz").Order(StringComparer.Ordinal).FirstOrDefault();
        return file is null ? null : Path.GetRelativePath(resultsDir, file).Replace('\\', '/');
    }

    private sealed record TrxResult(string Outcome, string? Message, DateTimeOffset? Start, DateTimeOffset? End, double? Duration);

    /// <summary>TRX results of the perf tests (<c>Run(&lt;id&gt;)</c>), keyed by test id; later files win.</summary>
    private static Dictionary<string, TrxResult> ReadTrx(string resultsDir)
    {
        var result = new Dictionary<string, TrxResult>(StringComparer.Ordinal);
        foreach (var file in Directory.GetFiles(resultsDir, "*.trx").Order(StringComparer.Ordinal))
        {
            XDocument doc;
            try { doc = XDocument.Load(file); }
            catch (System.Xml.XmlException) { continue; }
            foreach (var r in doc.Descendants().Where(e => e.Name.LocalName == "UnitTestResult"))
            {
                var name = (string?)r.Attribute("testName");
                if (name is null) continue;
                var open = name.IndexOf('(', StringComparison.Ordinal);
                var id = open >= 0 && name.EndsWith(')') ? name[(open + 1)..^1] : name;
                DateTimeOffset? Time(string attr) =>
                    DateTimeOffset.TryParse((string?)r.Attribute(attr), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var t) ? t : null;
                double? duration = TimeSpan.TryParse((string?)r.Attribute("duration"), CultureInfo.InvariantCulture, out var d)
                    ? Math.Round(d.TotalSeconds, 1)
                    : null;
                var message = r.Descendants().FirstOrDefault(e => e.Name.LocalName == "Message")?.Value;
                result[id] = new TrxResult((string?)r.Attribute("outcome") ?? "Unknown", message, Time("startTime"), Time("endTime"), duration);
            }
        }
        return result;
    }

    private static IEnumerable<JsonElement> Array(JsonElement e, string name) =>
        e.TryGetProperty(name, out var a) && a.ValueKind == JsonValueKind.Array ? a.EnumerateArray() : [];

    private static string? Str(JsonElement e, string name) =>
        e.TryGetProperty(name, out var v) ? v.ValueKind switch
        {
            JsonValueKind.String => v.GetString(),
            JsonValueKind.Number => v.GetRawText(),
            _ => null,
        } : null;

    private static double? Num(JsonElement e, string name) =>
        e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.Number ? v.GetDouble() : null;
}
