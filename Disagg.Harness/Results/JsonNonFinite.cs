using System.Text;

namespace Disagg.Harness.Results;

/// <summary>
/// Python's json module writes bare <c>NaN</c>, <c>Infinity</c> and <c>-Infinity</c>, which are not JSON.
/// This replaces them with <c>null</c> outside string literals so System.Text.Json can read the file.
/// </summary>
public static class JsonNonFinite
{
    private static readonly string[] Tokens = ["-Infinity", "Infinity", "NaN"];

    public static string ToNull(string json)
    {
        if (!json.Contains("NaN", StringComparison.Ordinal) && !json.Contains("Infinity", StringComparison.Ordinal)) return json;
        var result = new StringBuilder(json.Length);
        var inString = false;
        for (var i = 0; i < json.Length; i++)
        {
            var ch = json[i];
            if (inString)
            {
                result.Append(ch);
                if (ch == '\\' && i + 1 < json.Length) result.Append(json[++i]);
                else if (ch == '"') inString = false;
                continue;
            }
            if (ch == '"')
            {
                inString = true;
                result.Append(ch);
                continue;
            }
            var token = Tokens.FirstOrDefault(t => string.CompareOrdinal(json, i, t, 0, t.Length) == 0);
            if (token is null)
            {
                result.Append(ch);
                continue;
            }
            result.Append("null");
            i += token.Length - 1;
        }
        return result.ToString();
    }
}
