using System.Text.RegularExpressions;

namespace Disagg.Harness.Rendering;

/// <summary>
/// Fills the <c>{placeholders}</c> of a profile's command template in one pass. Replacing them one after another
/// would scan a value already put in (a model path or task holding the text <c>{output}</c>) for the next
/// placeholder, and a quoted value put inside another quoted value turns the inner text into bare shell words.
/// Every value given here must already be a finished shell word (quoted by the caller); unknown placeholders stay.
/// </summary>
public static partial class CommandTemplate
{
    [GeneratedRegex(@"\{([a-z_]+)\}")] private static partial Regex Placeholder();

    public static string Fill(string template, IReadOnlyDictionary<string, string> words) =>
        Placeholder().Replace(template, m => words.TryGetValue(m.Groups[1].Value, out var word) ? word : m.Value);
}
