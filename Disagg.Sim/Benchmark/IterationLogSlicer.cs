namespace Disagg.Sim.Benchmark;

/// <summary>
/// run_benchmark.sh's per-concurrency worker-log slices: the iteration lines that the <c>3_output_CTX_*.log</c> /
/// <c>3_output_GEN_*.log</c> files gained during a run go to <c>ctx_only_&lt;i&gt;.txt</c> (lines with
/// <c>'num_generation_tokens': 0</c>) and <c>gen_only_&lt;i&gt;.txt</c> (lines with
/// <c>'num_ctx_requests': 0, 'num_ctx_tokens': 0</c>).
/// </summary>
internal sealed class IterationLogSlicer
{
    private readonly Dictionary<string, long> _startLengths = new(StringComparer.Ordinal);

    private IterationLogSlicer(string logPath)
    {
        foreach (var file in WorkerLogs(logPath))
        {
            _startLengths[file] = new FileInfo(file).Length;
        }
    }

    /// <summary>Remembers how long each worker log is before a run.</summary>
    public static IterationLogSlicer Mark(string logPath) => new(logPath);

    /// <summary>Writes the matching lines added since <see cref="Mark"/> into <paramref name="outputDir"/>.</summary>
    public async Task WriteSlicesAsync(string outputDir, CancellationToken cancellationToken)
    {
        foreach (var (file, start) in _startLengths)
        {
            var name = Path.GetFileNameWithoutExtension(file);
            var isCtx = name.Contains("_CTX_", StringComparison.Ordinal);
            var index = name[(name.LastIndexOf('_') + 1)..];
            var marker = isCtx ? "'num_generation_tokens': 0" : "'num_ctx_requests': 0, 'num_ctx_tokens': 0";
            var lines = await ReadAddedLinesAsync(file, start, cancellationToken).ConfigureAwait(false);
            var matching = lines.Where(l => l.Contains(marker, StringComparison.Ordinal)).ToList();
            var target = Path.Combine(outputDir, $"{(isCtx ? "ctx_only" : "gen_only")}_{index}.txt");
            await File.WriteAllLinesAsync(target, matching, cancellationToken).ConfigureAwait(false);
        }
    }

    private static async Task<List<string>> ReadAddedLinesAsync(string file, long start, CancellationToken cancellationToken)
    {
        await using var stream = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        stream.Seek(Math.Min(start, stream.Length), SeekOrigin.Begin);
        using var reader = new StreamReader(stream);
        var lines = new List<string>();
        while (await reader.ReadLineAsync(cancellationToken).ConfigureAwait(false) is { } line)
        {
            lines.Add(line);
        }

        return lines;
    }

    private static IEnumerable<string> WorkerLogs(string logPath) => Directory.Exists(logPath)
        ? Directory.EnumerateFiles(logPath, "3_output_CTX_*.log").Concat(Directory.EnumerateFiles(logPath, "3_output_GEN_*.log")).Order(StringComparer.Ordinal)
        : [];
}
