using System.Globalization;

namespace Disagg.Harness.Configuration;

/// <summary>SLURM time limits: <c>MM</c>, <c>MM:SS</c>, <c>HH:MM:SS</c>, <c>D-HH</c>, <c>D-HH:MM</c>, <c>D-HH:MM:SS</c>.</summary>
public static class JobTime
{
    public static bool TryParse(string? text, out TimeSpan value)
    {
        value = default;
        if (string.IsNullOrWhiteSpace(text)) return false;
        text = text.Trim();
        var days = 0;
        var dash = text.IndexOf('-', StringComparison.Ordinal);
        if (dash > 0)
        {
            if (!int.TryParse(text[..dash], NumberStyles.None, CultureInfo.InvariantCulture, out days)) return false;
            text = text[(dash + 1)..];
        }
        var parts = text.Split(':');
        var numbers = new int[parts.Length];
        for (var i = 0; i < parts.Length; i++)
            if (!int.TryParse(parts[i], NumberStyles.None, CultureInfo.InvariantCulture, out numbers[i])) return false;
        (int h, int m, int s) = (dash > 0, numbers.Length) switch
        {
            (false, 1) => (0, numbers[0], 0),
            (false, 2) => (0, numbers[0], numbers[1]),
            (_, 3) => (numbers[0], numbers[1], numbers[2]),
            (true, 1) => (numbers[0], 0, 0),
            (true, 2) => (numbers[0], numbers[1], 0),
            _ => (-1, 0, 0),
        };
        if (h < 0 || m >= 60 && numbers.Length > 1 || s >= 60) return false;
        // In long seconds: "99999999-00:00:00" or 2147483647 minutes are beyond what TimeSpan's int constructor
        // accepts. Anything longer than Ceiling is kept at Ceiling, which every limit (InputLimits.MaxJobTime) refuses.
        var seconds = ((days * 24L + h) * 60L + m) * 60L + s;
        if (seconds <= 0) return false;
        value = TimeSpan.FromSeconds(Math.Min(seconds, (long)Ceiling.TotalSeconds));
        return true;
    }

    /// <summary>The longest duration <see cref="TryParse"/> returns (longer text parses to this).</summary>
    public static readonly TimeSpan Ceiling = TimeSpan.FromDays(100_000);

    public static string Format(TimeSpan value) =>
        value.Days > 0
            ? string.Create(CultureInfo.InvariantCulture, $"{value.Days}-{value.Hours:00}:{value.Minutes:00}:{value.Seconds:00}")
            : string.Create(CultureInfo.InvariantCulture, $"{(int)value.TotalHours:00}:{value.Minutes:00}:{value.Seconds:00}");
}
