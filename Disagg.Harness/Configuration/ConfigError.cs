namespace Disagg.Harness.Configuration;

/// <summary>One problem in one input file, located precisely enough to jump to it from a terminal.</summary>
public sealed record ConfigError(string File, int Line, int Column, string KeyPath, string Message)
{
    /// <summary>A warning is reported but does not stop the test (e.g. a file name that disagrees with its content).</summary>
    public bool IsWarning { get; init; }

    /// <summary>One line: file, key and message have control characters escaped, so a hostile name cannot forge lines.</summary>
    public override string ToString()
    {
        var file = Names.Escape(File);
        var where = Line > 0 ? $"{file}:{Line}:{Column}" : file;
        var severity = IsWarning ? " warning:" : "";
        var key = string.IsNullOrEmpty(KeyPath) ? "" : $" {Names.Show(KeyPath)}:";
        return $"{where}:{severity}{key} {Names.Escape(Message)}";
    }
}
