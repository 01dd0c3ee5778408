using System.Text.Json;
using System.Text.RegularExpressions;
using Disagg.Harness.Rendering;

namespace Disagg.Harness.Reporting;

/// <summary>
/// What a run ran on, as its results folder records it: the commit (<c>run_environment.txt</c>, written by
/// run_disagg_test.sh), the container image (each test's resolved_config.json), the TensorRT-LLM version (the workers'
/// logs), GPU model and driver (system_facts.txt, nvidia-smi in the job) and the nodes (results.json). A value the
/// folder does not hold is <see cref="Unknown"/>, with the reason when there is one; reports never leave it blank.
/// </summary>
public sealed partial record RunEnvironment(string Commit, string Image, string TrtllmVersion, string Gpu, string Driver, string Nodes)
{
    public const string Unknown = "unknown";
    public const string FileName = "run_environment.txt";

    /// <summary>The rows the reports show, in order.</summary>
    public IReadOnlyList<(string Name, string Value)> Rows =>
        [("commit", Commit), ("image", Image), ("TRT-LLM version", TrtllmVersion), ("GPU", Gpu), ("driver", Driver), ("nodes", Nodes)];

    // nvidia-smi --query-gpu=index,name,driver_version,memory.total --format=csv,noheader, prefixed "N: " by srun -l.
    [GeneratedRegex(@"^(?:\d+:\s*)?\d+,\s*(?<name>[^,]+?),\s*(?<driver>\d+(?:\.\d+)+),\s*\d+\s*MiB\s*$", RegexOptions.Multiline)]
    private static partial Regex NvidiaSmiGpu();

    // TensorRT-LLM prints its version when imported; the simulator prints the same line.
    [GeneratedRegex(@"TensorRT-LLM (?:version:|init\. Version:)\s*(?<v>[0-9][0-9A-Za-z.+\-]*)")]
    private static partial Regex TrtllmVersionLine();

    public static RunEnvironment Read(string resultsDir, IReadOnlyList<TestReport> tests)
    {
        var recorded = ReadRecorded(Path.Combine(resultsDir, FileName));
        var folders = tests.Where(t => t.Folder is not null).Select(t => Path.Combine(resultsDir, t.Folder!)).Where(Directory.Exists).ToList();

        var commit = recorded.GetValueOrDefault("commit") is { Length: > 0 } c && c != Unknown ? c : Unknown;

        var images = folders.Select(ImageOf).OfType<string>().Distinct(StringComparer.Ordinal).ToList();
        var image = images.Count == 0 ? Unknown : string.Join(", ", images.Select(i => i.Length == 0 ? "none (no container)" : i));

        var versions = folders.SelectMany(VersionsOf).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
        var version = versions.Count == 0 ? Unknown : string.Join(", ", versions);

        var facts = folders.Select(f => Path.Combine(f, JobFiles.SystemFacts)).Where(File.Exists).Select(File.ReadAllText).ToList();
        var gpus = facts.SelectMany(t => NvidiaSmiGpu().Matches(t))
            .Select(m => (Name: m.Groups["name"].Value.Trim(), Driver: m.Groups["driver"].Value)).ToList();
        var gpuType = recorded.GetValueOrDefault("gpu_type") is { Length: > 0 } g ? g : null;
        string gpu, driver;
        if (gpus.Count > 0)
        {
            gpu = string.Join(", ", gpus.Select(x => x.Name).Distinct(StringComparer.Ordinal));
            driver = string.Join(", ", gpus.Select(x => x.Driver).Distinct(StringComparer.Ordinal));
        }
        else
        {
            var why = facts.Any(t => t.Contains("nvidia-smi: unavailable", StringComparison.Ordinal)) ? "nvidia-smi unavailable on the nodes"
                : facts.Count == 0 ? $"no {JobFiles.SystemFacts}" : "nvidia-smi printed no GPU";
            gpu = gpuType is null ? $"{Unknown} ({why})" : $"{gpuType} (GPU_TYPE; {why})";
            driver = $"{Unknown} ({why})";
        }

        var nodes = tests.Select(t => t.Nodes).OfType<string>().Where(n => n.Length > 0).Distinct(StringComparer.Ordinal).ToList();
        return new RunEnvironment(commit, image, version, gpu, driver, nodes.Count == 0 ? Unknown : string.Join(", ", nodes));
    }

    private static Dictionary<string, string> ReadRecorded(string path)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        if (!File.Exists(path)) return values;
        foreach (var line in File.ReadLines(path))
        {
            var eq = line.IndexOf('=', StringComparison.Ordinal);
            if (eq > 0) values[line[..eq].Trim()] = line[(eq + 1)..].Trim();
        }
        return values;
    }

    private static string? ImageOf(string folder)
    {
        var path = Path.Combine(folder, JobFiles.ResolvedConfig);
        if (!File.Exists(path)) return null;
        try
        {
            using var doc = JsonDocument.Parse(File.ReadAllText(path));
            return doc.RootElement.TryGetProperty("environment", out var env) && env.ValueKind == JsonValueKind.Object
                   && env.TryGetProperty("container_image", out var image) && image.ValueKind == JsonValueKind.String
                ? image.GetString()!.Trim()
                : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static IEnumerable<string> VersionsOf(string folder)
    {
        foreach (var log in Directory.GetFiles(folder, "*_server_*.log").Order(StringComparer.Ordinal))
        {
            // The version line comes within the first lines of a worker's log; the rest can be gigabytes.
            foreach (var line in File.ReadLines(log).Take(500))
                if (TrtllmVersionLine().Match(line) is { Success: true } m)
                {
                    yield return m.Groups["v"].Value;
                    break;
                }
        }
    }
}
