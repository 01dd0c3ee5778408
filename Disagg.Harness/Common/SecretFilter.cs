using System.Collections;
using System.Text;
using System.Text.RegularExpressions;

namespace Disagg.Harness.Common;

/// <summary>
/// The one set of redaction rules for everything Disagg writes: diagnosis packages made by the job
/// (<c>diag_redact</c>, generated from these rules by Rendering/PackagingFunctions.cs) and by the runner, logs and
/// reports. A variable is secret when its name contains one of <see cref="NameWords"/> (any case): its value is
/// replaced wherever it appears. Independently of names, <see cref="ValueRules"/> replace the values of upper-case
/// <c>NAME=value</c> assignments of such names, <c>Password=</c>/<c>Pwd=</c> inside connection strings, the password
/// of <c>user:pass@</c> in URLs and <c>Authorization:</c> header values.
/// </summary>
public static class SecretFilter
{
    public const string NameWords = "PASS|PWD|PSW|TOKEN|SECRET|KEY|CREDENTIAL|AUTH|CONNECTION|DSN";
    public const string Redacted = "<redacted>";

    /// <summary>
    /// The shell's working-directory variables: their names contain PWD but their values are paths that every log
    /// mentions (replacing them would hide the workspace everywhere).
    /// </summary>
    public static readonly IReadOnlyList<string> NotSecretNames = ["PWD", "OLDPWD"];

    // The NAME=value rule takes PWD apart: MYSQL_PWD= and PWD_FILE= are secrets, the shell's PWD= and OLDPWD= are not.
    private const string WordsButPwd = "PASS|PSW|TOKEN|SECRET|KEY|CREDENTIAL|AUTH|CONNECTION|DSN";

    /// <summary>Values shorter than this are not replaced (a "1" would wreck every file).</summary>
    public const int MinimumValueLength = 4;

    /// <summary>The value rules, in the order they are applied (see <see cref="SecretRule"/> for the regex subset).</summary>
    public static readonly IReadOnlyList<SecretRule> ValueRules =
    [
        new("NAME=value of a secret-named upper-case variable", "([A-Z0-9_]*(" + WordsButPwd + ")[A-Z0-9_]*=).*", IgnoreCase: false),
        new("NAME=value of an upper-case variable named *_PWD* or PWD_*", "(([A-Z0-9_]*_PWD|PWD_)[A-Z0-9_]*=).*", IgnoreCase: false),
        new("Password= or Pwd= in a connection string (Pwd after ; space or a quote)",
            "((password|[;\"' \t]pwd)[ \t]*=[ \t]*)('[^']*'?|\"[^\"]*\"?|[^;\"' \t]*)", IgnoreCase: true),
        new("the password of user:pass@ in a URL", "([a-z][a-z0-9+.-]*://[^/@:; \t\"']*:)[^/@ \t\"']*@", IgnoreCase: true, After: "@"),
        new("an Authorization or Proxy-Authorization header", "((proxy-)?authorization[\"']?[ \t]*[:=][ \t]*).*", IgnoreCase: true),
    ];

    private static readonly Regex SecretName = new(NameWords, RegexOptions.IgnoreCase | RegexOptions.CultureInvariant);

    // One line at a time, as sed reads: a negated bracket expression must not run past the end of the line.
    private static readonly (Regex Regex, string Replacement)[] Rules = [.. ValueRules.Select(r => (
        new Regex(r.Pattern.Replace("[^", "[^\n", StringComparison.Ordinal),
            RegexOptions.CultureInvariant | (r.IgnoreCase ? RegexOptions.IgnoreCase : RegexOptions.None)),
        "$1" + Redacted + r.After))];

    public static bool IsSecretName(string name) => SecretName.IsMatch(name) && !NotSecretNames.Contains(name, StringComparer.Ordinal);

    /// <summary>The awk condition, on the variable name in <paramref name="nameExpression"/>, that <see cref="IsSecretName"/> is.</summary>
    public static string AwkSecretCondition(string nameExpression) =>
        $"toupper({nameExpression}) ~ /{NameWords}/" + string.Concat(NotSecretNames.Select(n => $" && {nameExpression} != \"{n}\""));

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

    /// <summary><paramref name="text"/> with every secret value and every <see cref="ValueRules"/> match replaced.</summary>
    public static string Redact(string text, IReadOnlyCollection<string> secretValues)
    {
        foreach (var value in secretValues)
            text = text.Replace(value, Redacted, StringComparison.Ordinal);
        foreach (var (regex, replacement) in Rules)
            text = regex.Replace(text, replacement);
        return text;
    }

    /// <summary>
    /// The <see cref="ValueRules"/> as arguments of GNU <c>sed -E</c> (<c>-e 's#...#\1&lt;redacted&gt;...#g'</c>, <c>I</c> for
    /// the case-insensitive ones), each quoted for bash.
    /// </summary>
    public static string SedArguments()
    {
        var args = new StringBuilder();
        foreach (var rule in ValueRules)
        {
            if (rule.Pattern.Contains('#', StringComparison.Ordinal))
                throw new InvalidOperationException($"secret rule '{rule.What}' contains '#', the sed delimiter");
            var script = $"s#{rule.Pattern}#\\1{Redacted}{rule.After}#g{(rule.IgnoreCase ? "I" : "")}";
            args.Append(" -e '").Append(script.Replace("'", "'\\''", StringComparison.Ordinal)).Append('\'');
        }
        return args.ToString();
    }
}
