using YamlDotNet.Core;
using YamlDotNet.Core.Events;

namespace Disagg.Harness.Configuration;

/// <summary>
/// Measures YAML text from its parser events, before any tree is built: nesting depth, and the nodes and scalar
/// characters the document has once every alias is expanded (an alias counts as a copy of what it names). A
/// 700-byte alias bomb or 100,000 nested brackets are refused here at their line, in time linear in the text;
/// building the tree first would overflow the stack, and writing it back out would expand the bomb.
/// </summary>
public static class YamlShape
{
    /// <summary>The first limit the text breaks, as a located error; null when it is within every limit.</summary>
    public static ConfigError? Check(string text, string file)
    {
        var parser = new Parser(new StringReader(text));
        var anchors = new Dictionary<string, (long Nodes, long Chars)>(StringComparer.Ordinal);
        var open = new Stack<(string Anchor, long Nodes, long Chars)>();
        var (nodes, chars) = (0L, 0L);
        try
        {
            while (parser.MoveNext())
            {
                var e = parser.Current!;
                switch (e)
                {
                    case Scalar s:
                        nodes++;
                        chars += s.Value.Length;
                        if (!s.Anchor.IsEmpty) anchors[s.Anchor.Value] = (1, s.Value.Length);
                        break;
                    case NodeEvent { } start and (MappingStart or SequenceStart):
                        if (open.Count >= InputLimits.MaxNestingDepth)
                            return Error(file, e,
                                $"YAML nesting is deeper than {InputLimits.MaxNestingDepth} levels; the limit keeps parsing bounded (docs/limits.md)");
                        nodes++;
                        open.Push((start.Anchor.IsEmpty ? "" : start.Anchor.Value, nodes, chars));
                        break;
                    case MappingEnd or SequenceEnd:
                        var closed = open.Pop();
                        if (closed.Anchor.Length > 0) anchors[closed.Anchor] = (nodes - closed.Nodes + 1, chars - closed.Chars);
                        break;
                    case AnchorAlias alias:
                        if (open.Any(o => o.Anchor == alias.Value.Value))
                            return Error(file, e, $"alias *{alias.Value.Value} is inside the node it names, which would make the document infinite");
                        if (anchors.TryGetValue(alias.Value.Value, out var size)) (nodes, chars) = (nodes + size.Nodes, chars + size.Chars);
                        break;
                }
                if (nodes > InputLimits.MaxExpandedNodes)
                    return Error(file, e, $"the YAML has more than {InputLimits.MaxExpandedNodes} nodes once its aliases are expanded (docs/limits.md)");
                if (chars > InputLimits.MaxExpandedChars)
                    return Error(file, e,
                        $"the YAML has more than {InputLimits.MaxExpandedChars} characters of values once its aliases are expanded (docs/limits.md)");
            }
        }
        catch (Exception e) when (e is YamlException or InvalidOperationException or ArgumentException or FormatException or OverflowException
                                      or IndexOutOfRangeException)
        {
            // Malformed text: the tree loader reports the same problem with its own message and position.
        }
        return null;
    }

    private static ConfigError Error(string file, ParsingEvent at, string message) =>
        new(file, Math.Max(1, (int)at.Start.Line), Math.Max(1, (int)at.Start.Column), "", message);
}
