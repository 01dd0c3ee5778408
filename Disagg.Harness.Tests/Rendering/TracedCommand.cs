namespace Disagg.Harness.Tests.Rendering;

/// <summary>
/// The command word of a simple command as bash's DEBUG trap shows it in <c>$BASH_COMMAND</c> (the text before
/// expansion): leading assignments are skipped, quotes and <c>$( )</c>, <c>${ }</c>, backticks are kept together.
/// </summary>
public static class TracedCommand
{
    public static string FirstWord(string text) => Words(text).FirstOrDefault() ?? "(assignment)";

    /// <summary>The words after the leading assignments, as far as they go; redirections are words of their own.</summary>
    public static IEnumerable<string> Words(string text)
    {
        var i = 0;
        var commandSeen = false;
        while (true)
        {
            while (i < text.Length && char.IsWhiteSpace(text[i])) i++;
            if (i >= text.Length) yield break;
            if (text.AsSpan(i).StartsWith("((", StringComparison.Ordinal)) { yield return "(("; yield break; }
            var start = i;
            ReadWord(text, ref i);
            if (i == start) i++;
            var word = text[start..i];
            if (!commandSeen && IsAssignment(word)) continue;
            commandSeen = true;
            yield return word;
        }
    }

    private static bool IsAssignment(string word)
    {
        var eq = word.IndexOf('=', StringComparison.Ordinal);
        if (eq <= 0) return false;
        var name = word[..eq].TrimEnd('+');
        var bracket = name.IndexOf('[', StringComparison.Ordinal);
        if (bracket > 0) name = name[..bracket];
        return name.Length > 0 && (char.IsAsciiLetter(name[0]) || name[0] == '_') && name.All(c => char.IsAsciiLetterOrDigit(c) || c == '_');
    }

    private static void ReadWord(string text, ref int i)
    {
        while (i < text.Length)
        {
            var c = text[i];
            if (char.IsWhiteSpace(c) || c is ';' or '&' or '|') return;
            switch (c)
            {
                case '\\': i += 2; break;
                case '\'': i = Skip(text, i + 1, '\''); break;
                case '"': i = SkipDouble(text, i + 1); break;
                case '`': i = Skip(text, i + 1, '`'); break;
                case '$' when i + 1 < text.Length && text[i + 1] is '(' or '{': i = SkipNested(text, i + 1); break;
                case '<' or '>' when i + 1 < text.Length && text[i + 1] == '(': i = SkipNested(text, i + 1); break;
                case '(' when i > 0 && text[i - 1] == '=': i = SkipNested(text, i); break;
                default: i++; break;
            }
        }
    }

    private static int Skip(string text, int i, char end)
    {
        while (i < text.Length && text[i] != end) i++;
        return Math.Min(i + 1, text.Length);
    }

    private static int SkipDouble(string text, int i)
    {
        while (i < text.Length && text[i] != '"')
        {
            if (text[i] == '\\') i++;
            else if (text[i] == '$' && i + 1 < text.Length && text[i + 1] is '(' or '{') i = SkipNested(text, i + 1) - 1;
            i++;
        }
        return Math.Min(i + 1, text.Length);
    }

    /// <summary>From an opening ( or {, past its matching closer, with quotes inside respected.</summary>
    private static int SkipNested(string text, int i)
    {
        var open = text[i];
        var close = open == '(' ? ')' : '}';
        var depth = 0;
        while (i < text.Length)
        {
            var c = text[i];
            if (c == open) depth++;
            else if (c == close && --depth == 0) return i + 1;
            else if (c == '\'' ) { i = Skip(text, i + 1, '\''); continue; }
            else if (c == '"') { i = SkipDouble(text, i + 1); continue; }
            else if (c == '\\') i++;
            i++;
        }
        return text.Length;
    }
}
