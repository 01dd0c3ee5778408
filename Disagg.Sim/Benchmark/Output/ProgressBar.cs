using System.Diagnostics;
using System.Globalization;

namespace Disagg.Sim.Benchmark.Output;

/// <summary>A tqdm-style progress line on stderr: <c>Benchmarking:  50%|#####     | 32/64 [00:01&lt;00:01, 19.94it/s]</c>.</summary>
internal sealed class ProgressBar
{
    private static readonly TimeSpan MinInterval = TimeSpan.FromSeconds(1);
    private readonly TextWriter _writer;
    private readonly int _total;
    private readonly long _started = Stopwatch.GetTimestamp();
    private readonly Lock _lock = new();
    private int _done;
    private TimeSpan _lastPrinted;

    public ProgressBar(TextWriter writer, int total)
    {
        _writer = writer;
        _total = total;
        _writer.Write(Render(0, TimeSpan.Zero));
    }

    public void Increment()
    {
        lock (_lock)
        {
            _done++;
            var elapsed = Stopwatch.GetElapsedTime(_started);
            if (elapsed - _lastPrinted >= MinInterval && _done < _total)
            {
                _lastPrinted = elapsed;
                _writer.Write("\r" + Render(_done, elapsed));
            }
        }
    }

    public void Close()
    {
        lock (_lock)
        {
            _writer.Write("\r" + Render(_done, Stopwatch.GetElapsedTime(_started)) + Environment.NewLine);
            _writer.Flush();
        }
    }

    /// <summary>One tqdm line for <paramref name="done"/> of the total after <paramref name="elapsed"/>.</summary>
    public string Render(int done, TimeSpan elapsed)
    {
        var inv = CultureInfo.InvariantCulture;
        var fraction = _total == 0 ? 1 : (double)done / _total;
        var rate = elapsed.TotalSeconds > 0 && done > 0 ? done / elapsed.TotalSeconds : 0;
        var remaining = rate > 0 ? Clock(TimeSpan.FromSeconds((_total - done) / rate)) : "?";
        var rateText = rate <= 0 ? "?it/s" : rate >= 1 ? (rate.ToString("F2", inv) + "it/s") : ((1 / rate).ToString("F2", inv) + "s/it");
        var percent = (fraction * 100).ToString("F0", inv).PadLeft(3);
        return $"Benchmarking: {percent}%|{Bar(fraction)}| {done}/{_total} [{Clock(elapsed)}<{remaining}, {rateText}]";
    }

    private static string Bar(double fraction)
    {
        var cells = fraction * 10;
        var full = (int)Math.Floor(cells);
        var bar = new string('#', full);
        if (full < 10)
        {
            var partial = (int)Math.Floor((cells - full) * 10);
            bar += partial > 0 ? partial.ToString(CultureInfo.InvariantCulture) : " ";
        }

        return bar.PadRight(10);
    }

    private static string Clock(TimeSpan time) => time.TotalHours >= 1
        ? $"{(int)time.TotalHours}:{time.Minutes:00}:{time.Seconds:00}"
        : $"{(int)time.TotalMinutes:00}:{time.Seconds:00}";
}
