using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Disagg.Harness.Configuration;

/// <summary>
/// Parses YAML text and turns every parser failure into a located "malformed YAML" error. YamlDotNet
/// throws <see cref="YamlException"/> with a position for most problems, but a few inputs (an unclosed
/// flow sequence at the end of the text, for one) end in other exception types without a position; those
/// are reported at the last event the parser read.
/// </summary>
public static class YamlText
{
    public static YamlStream? Load(string text, string file, List<ConfigError> errors)
    {
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
            errors.Add(new ConfigError(file, (int)e.Start.Line, (int)e.Start.Column, "", $"malformed YAML: {reason}"));
        }
        catch (Exception e) when (e is InvalidOperationException or ArgumentException or FormatException or OverflowException or IndexOutOfRangeException)
        {
            var at = parser.Current?.End ?? Mark.Empty;
            errors.Add(new ConfigError(file, Math.Max(1, (int)at.Line), Math.Max(1, (int)at.Column), "", "malformed YAML: the parser stopped here (check for an unclosed bracket, brace or quote)"));
        }
        return null;
    }
}
