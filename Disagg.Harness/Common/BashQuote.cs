namespace Disagg.Harness.Common;

/// <summary>Single-quote a value for bash so paths and env values with spaces or quotes survive intact.</summary>
public static class BashQuote
{
    public static string Quote(string value) =>
        value.Length > 0 && value.All(c => char.IsAsciiLetterOrDigit(c) || "-_./:=,+@%".Contains(c))
            ? value
            : "'" + value.Replace("'", "'\\''", StringComparison.Ordinal) + "'";
}
