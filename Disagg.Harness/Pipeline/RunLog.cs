namespace Disagg.Harness.Pipeline;

/// <summary>
/// The runner's log of one test: every line goes to the live sink at once and is kept, time-stamped, for the
/// diagnosis package (<c>runner.log</c>). Safe to write from several threads.
/// </summary>
public sealed class RunLog(Action<string> sink, TimeProvider time)
{
    private readonly List<string> _lines = [];

    public void Write(string line)
    {
        lock (_lines) _lines.Add($"{time.GetUtcNow():yyyy-MM-dd HH:mm:ss} {line}");
        sink(line);
    }

    public IReadOnlyList<string> Lines
    {
        get { lock (_lines) return [.. _lines]; }
    }
}
