using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Disagg.Harness.Configuration;

/// <summary>
/// Parses YAML text and turns every parser failure into a located "malformed YAML" error. YamlDotNet
/// throws <see cref="YamlException"/> with a position for most problems, but a few inputs (an unclosed
/// flow sequence at the end of the text, for one) end in other exception types without a position; those
/// are reported at the last event the parser read. Text that breaks a limit of <see cref="YamlShape"/>
/// (nesting, alias expansion) is refused before any tree is built.
/// </summary>
public static class YamlText
{
    public static YamlStream? Load(string text, string file, List<ConfigError> errors)
    {
        if (YamlShape.Check(text, file) is { } tooBig)
        {
            errors.Add(tooBig);
            return null;
        }
        var stream = new YamlStream();
        var parser = new Parser(new StringReader(text));
        try
        {
            stream.Load(parser);
            return stream;
        }
        catch (YamlException e)
        {
            var reason = (e.InnerException?.Message ?? e.Message).Trim();
            var (line, column) = ((int)e.Start.Line, (int)e.Start.Column);
            // YamlDotNet reports a tab used as indentation at 1:1; point at the tab itself.
            if (reason.Contains("tab", StringComparison.OrdinalIgnoreCase) && FirstIndentTab(text) is { } tab)
                (line, column, reason) = (tab.Line, tab.Column, "a tab is used for indentation; YAML allows only spaces there");
            errors.Add(new ConfigError(file, line, column, "", $"malformed YAML: {reason}"));
        }
        catch (Exception e) when (e is InvalidOperationException or ArgumentException or FormatException or OverflowException or IndexOutOfRangeException)
        {
            var at = parser.Current?.End ?? Mark.Empty;
            errors.Add(new ConfigError(file, Math.Max(1, (int)at.Line), Math.Max(1, (int)at.Column), "",
                "malformed YAML: the parser stopped here (check for an unclosed bracket, brace or quote)"));
        }
        return null;
    }

    /// <summary>Line and column (1-based) of the first tab in the leading whitespace of a line, or null.</summary>
    internal static (int Line, int Column)? FirstIndentTab(string text)
    {
        var lines = text.Split('\n');
        for (var i = 0; i < lines.Length; i++)
        {
            var line = lines[i];
            for (var c = 0; c < line.Length && (line[c] == ' ' || line[c] == '\t'); c++)
                if (line[c] == '\t') return (i + 1, c + 1);
        }
        return null;
    }
}
