using System.Collections;
using System.Globalization;

namespace Disagg.Sim.Common;

/// <summary>Python <c>repr()</c> of simple values, used to print an argparse <c>Namespace(...)</c>.</summary>
internal static class PyRepr
{
    public static string Of(object? value) => value switch
    {
        null => "None",
        bool b => b ? "True" : "False",
        string s => Quote(s),
        int or long => Convert.ToString(value, CultureInfo.InvariantCulture)!,
        double d => PythonFloat.Repr(d),
        IEnumerable list => "[" + string.Join(", ", list.Cast<object?>().Select(Of)) + "]",
        _ => throw new ArgumentException($"Unsupported repr type {value.GetType().Name}", nameof(value)),
    };

    /// <summary>Single quotes unless the text contains a single quote and no double quote (Python's rule).</summary>
    public static string Quote(string value)
    {
        var quote = value.Contains('\'', StringComparison.Ordinal) && !value.Contains('"', StringComparison.Ordinal) ? '"' : '\'';
        var escaped = value.Replace("\\", "\\\\", StringComparison.Ordinal)
            .Replace("\n", "\\n", StringComparison.Ordinal)
            .Replace("\t", "\\t", StringComparison.Ordinal);
        if (quote == '\'')
        {
            escaped = escaped.Replace("'", "\\'", StringComparison.Ordinal);
        }

        return quote + escaped + quote;
    }

    /// <summary><c>Namespace(a=1, b='x')</c> with the keys sorted like argparse does.</summary>
    public static string Namespace(IEnumerable<KeyValuePair<string, object?>> fields) =>
        "Namespace(" + string.Join(", ", fields.OrderBy(f => f.Key, StringComparer.Ordinal).Select(f => $"{f.Key}={Of(f.Value)}")) + ")";
}
