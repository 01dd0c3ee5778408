
namespace Disagg.Harness.Common;

/// <summary>The first error of a log with a little context, located by file:line, for messages and summaries.</summary>
public static class LogExcerpt
{
    /// <summary>Lines shown before and after a first error, and the tail shown of each log, in summaries on both sides.</summary>
    public const int ContextBefore = 2;
    public const int ContextAfter = 6;
    public const int TailLines = 15;

    public sealed record Hit(string File, int Line, string Signature, IReadOnlyList<string> Context)
    {
        public override string ToString() =>
            $"{File}:{Line}: {Signature}{Environment.NewLine}{string.Join(Environment.NewLine, Context.Select(c => "    " + c))}";
    }

    public static Hit? FirstError(string fileLabel, string text, int before = 2, int after = 6)
    {
        var lines = text.Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n');
        for (var i = 0; i < lines.Length; i++)
        {
            if (FailureSignatures.Match(lines[i]) is not { } signature) continue;
            var from = Math.Max(0, i - before);
            var to = Math.Min(lines.Length, i + after + 1);
            return new Hit(fileLabel, i + 1, signature.Name, lines[from..to].Select(l => l.TrimEnd()).ToList());
        }
        return null;
    }
}
