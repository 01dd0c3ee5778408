using System.Globalization;
using System.Text.RegularExpressions;
using Disagg.Harness.Common;

namespace Disagg.Harness.Results;

/// <summary>
/// Reads TensorRT-LLM iteration-log lines (<c>print_iter_log</c>) from gen server logs. A line counts when it
/// contains <c>iter = N,</c>, <c>prev_device_step_time = X ms</c> (a number followed by <c>ms</c>; <c>N/A</c> is
/// skipped) and the states dictionary shows a generation-only iteration: <c>'num_ctx_requests': 0</c>,
/// <c>'num_ctx_tokens': 0</c> and <c>'num_generation_tokens'</c> &gt; 0. Any prefix (rank, timestamp, logger tag)
/// is allowed. The format is documented in docs/thresholds.md.
/// </summary>
public static partial class GenStepTimes
{
    [GeneratedRegex(@"\biter = \d+,")] private static partial Regex IterMarker();
    [GeneratedRegex(@"\bprev_device_step_time = (\d+(?:\.\d+)?) ?ms\b")] private static partial Regex DeviceStep();
    [GeneratedRegex(@"'num_ctx_requests': (\d+)")] private static partial Regex CtxRequests();
    [GeneratedRegex(@"'num_ctx_tokens': (\d+)")] private static partial Regex CtxTokens();
    [GeneratedRegex(@"'num_generation_tokens': (\d+)")] private static partial Regex GenTokens();

    /// <summary>The device step times (ms) of the generation-only iterations of one log, in order.</summary>
    public static IReadOnlyList<double> Read(string text)
    {
        var times = new List<double>();
        foreach (var raw in text.Split('\n'))
        {
            if (!IterMarker().IsMatch(raw)) continue;
            var step = DeviceStep().Match(raw);
            if (!step.Success) continue;
            if (Int(CtxRequests(), raw) != 0 || Int(CtxTokens(), raw) != 0 || Int(GenTokens(), raw) is not > 0) continue;
            times.Add(double.Parse(step.Groups[1].Value, NumberStyles.Float, CultureInfo.InvariantCulture));
        }
        return times;
    }

    /// <summary>Pools the generation-only iterations of all gen server logs; null when none has any.</summary>
    public static StepTimeSummary? Summarize(IReadOnlyList<(string File, string Text)> logs)
    {
        var files = new List<string>();
        var all = new List<double>();
        foreach (var (file, text) in logs)
        {
            var times = Read(text);
            if (times.Count == 0) continue;
            files.Add(file);
            all.AddRange(times);
        }
        if (all.Count == 0) return null;
        var mean = all.Average();
        var std = Math.Sqrt(all.Sum(t => (t - mean) * (t - mean)) / all.Count);
        return new StepTimeSummary(all.Count, mean, Percentiles.Of(all, 50), std, Percentiles.Of(all, 75), Percentiles.Of(all, 99), files);
    }

    private static int? Int(Regex regex, string line) =>
        regex.Match(line) is { Success: true } m ? int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture) : null;
}
