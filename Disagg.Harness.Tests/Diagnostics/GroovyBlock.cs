using System.Text;

namespace Disagg.Harness.Tests.Diagnostics;

/// <summary>
/// The block structure of a declarative Jenkinsfile: <c>name(args) { ... }</c> blocks and the statements between them.
/// Strings (single, double, triple-quoted, with <c>${...}</c>) and comments are skipped when finding braces, so a brace
/// inside a string never opens a block. No Jenkins runs here to lint the file, so the declarative rules are checked
/// on this structure (see CiExampleTests).
/// </summary>
internal sealed record GroovyBlock(string Name, string Header, int Line, IReadOnlyList<GroovyBlock> Blocks, IReadOnlyList<string> Statements)
{
    public GroovyBlock? this[string name] => Blocks.SingleOrDefault(b => b.Name == name);

    /// <summary>Every block and statement below this one, depth first.</summary>
    public IEnumerable<GroovyBlock> Descendants() => Blocks.SelectMany(b => b.Descendants().Prepend(b));

    public static GroovyBlock Parse(string text)
    {
        var masked = Mask(text);
        var pos = 0;
        var root = ParseBody(text, masked, ref pos, "", "", 1);
        if (pos < masked.Length) throw new FormatException($"unbalanced '}}' at line {LineOf(text, pos)}");
        return root;
    }

    private static GroovyBlock ParseBody(string text, string masked, ref int pos, string name, string header, int line)
    {
        var blocks = new List<GroovyBlock>();
        var statements = new List<string>();
        var start = pos;
        while (pos < masked.Length)
        {
            var c = masked[pos];
            if (c == '{')
            {
                var head = text[start..pos].Trim();
                var headLine = LineOf(text, start + (text[start..pos].Length - text[start..pos].TrimStart().Length));
                pos++;
                var blockName = new string(head.TakeWhile(ch => char.IsLetterOrDigit(ch) || ch == '_').ToArray());
                blocks.Add(ParseBody(text, masked, ref pos, blockName, head, headLine));
                start = pos;
            }
            else if (c == '}')
            {
                AddStatements(text[start..pos], statements);
                pos++;
                return new GroovyBlock(name, header, line, blocks, statements);
            }
            else if (c == '\n')
            {
                AddStatements(text[start..pos], statements);
                pos++;
                start = pos;
            }
            else pos++;
        }
        if (name.Length > 0) throw new FormatException($"block '{header}' opened at line {line} is never closed");
        AddStatements(text[start..pos], statements);
        return new GroovyBlock(name, header, line, blocks, statements);
    }

    private static void AddStatements(string segment, List<string> statements)
    {
        var s = StripComment(segment).Trim();
        if (s.Length > 0) statements.Add(s);
    }

    private static string StripComment(string line)
    {
        var masked = Mask(line);
        var at = masked.IndexOf("//", StringComparison.Ordinal);
        return at < 0 ? line : line[..at];
    }

    /// <summary>The text with string contents and comment text replaced by spaces (newlines kept), so braces are structural.</summary>
    private static string Mask(string text)
    {
        var sb = new StringBuilder(text);
        var i = 0;
        while (i < text.Length)
        {
            if (text.AsSpan(i).StartsWith("//"))
            {
                // The "//" itself stays, so a statement's trailing comment can be found and cut.
                for (i += 2; i < text.Length && text[i] != '\n'; i++) sb[i] = ' ';
            }
            else if (text.AsSpan(i).StartsWith("/*"))
            {
                var end = text.IndexOf("*/", i + 2, StringComparison.Ordinal);
                end = end < 0 ? text.Length : end + 2;
                for (; i < end; i++) if (text[i] != '\n') sb[i] = ' ';
            }
            else if (text[i] is '\'' or '"')
            {
                var quote = text.AsSpan(i).StartsWith("'''") ? "'''" : text.AsSpan(i).StartsWith("\"\"\"") ? "\"\"\"" : text[i].ToString();
                i += quote.Length;
                while (i < text.Length && !text.AsSpan(i).StartsWith(quote))
                {
                    if (text[i] == '\\' && i + 1 < text.Length) { sb[i++] = ' '; }
                    if (text[i] != '\n') sb[i] = ' ';
                    i++;
                }
                i += quote.Length;
            }
            else i++;
        }
        return sb.ToString();
    }

    private static int LineOf(string text, int pos) => text.AsSpan(0, Math.Min(pos, text.Length)).Count('\n') + 1;
}
