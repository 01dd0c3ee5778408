using System.Text;
using Disagg.Harness.Cluster;

namespace Disagg.Harness.Execution;

/// <summary>Reads only the bytes a file gained since the last call and hands back complete lines with their numbers.</summary>
public sealed class LogFollower(IClusterFiles files, string path)
{
    private long _offset;
    private int _lineNumber;
    private readonly StringBuilder _partial = new();

    public string Path { get; } = path;

    public async Task<IReadOnlyList<(int Line, string Text)>> ReadNewLinesAsync(CancellationToken cancellationToken)
    {
        var bytes = await files.ReadFromAsync(Path, _offset, cancellationToken).ConfigureAwait(false);
        if (bytes.Length == 0) return [];
        _offset += bytes.Length;
        _partial.Append(Encoding.UTF8.GetString(bytes));
        var text = _partial.ToString();
        var end = text.LastIndexOf('\n');
        if (end < 0) return [];
        _partial.Clear().Append(text, end + 1, text.Length - end - 1);
        var lines = new List<(int, string)>();
        foreach (var line in text[..end].Split('\n'))
            lines.Add((++_lineNumber, line.TrimEnd('\r')));
        return lines;
    }
}
