using System.Collections;
using System.Text.RegularExpressions;

namespace Disagg.Harness.Common;

/// <summary>
/// Keeps credentials out of diagnosis packages. A variable is secret when its name contains one of
/// <see cref="NameWords"/> (any case); its value is replaced wherever it appears, and so is the value of any
/// upper-case <c>NAME=value</c> assignment of such a name. The job side (PackagingFunctions) applies the same rules.
/// </summary>
public static partial class SecretFilter
{
    public const string NameWords = "PASS|PSW|TOKEN|SECRET|KEY|CREDENTIAL";
    public const string Redacted = "<redacted>";

    /// <summary>Values shorter than this are not replaced (a "1" would wreck every file).</summary>
    public const int MinimumValueLength = 4;

    [GeneratedRegex(NameWords, RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex SecretName();

    [GeneratedRegex(@"([A-Z0-9_]*(" + NameWords + @")[A-Z0-9_]*=).*", RegexOptions.CultureInvariant)]
    private static partial Regex SecretAssignment();

    public static bool IsSecretName(string name) => SecretName().IsMatch(name);

    /// <summary>Secret values of this process's environment plus <paramref name="extra"/> (e.g. the profile's job_env).</summary>
    public static IReadOnlyList<string> SecretValues(IEnumerable<KeyValuePair<string, string>>? extra = null)
    {
        var values = new HashSet<string>(StringComparer.Ordinal);
        foreach (DictionaryEntry e in Environment.GetEnvironmentVariables())
            if (e.Key is string name && e.Value is string value && IsSecretName(name)) values.Add(value);
        foreach (var (name, value) in extra ?? [])
            if (IsSecretName(name)) values.Add(value);
        return values.Where(v => v.Length >= MinimumValueLength).OrderByDescending(v => v.Length).ToList();
    }

    public static string Redact(string text, IReadOnlyCollection<string> secretValues)
    {
        foreach (var value in secretValues)
            text = text.Replace(value, Redacted, StringComparison.Ordinal);
        return SecretAssignment().Replace(text, "$1" + Redacted);
    }
}
