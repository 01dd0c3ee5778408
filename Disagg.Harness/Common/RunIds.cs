namespace Disagg.Harness.Common;

/// <summary>
/// The one spelling of a run id, shared by everything that names a run: the job comment <c>disagg-run=&lt;id&gt;</c>
/// written by a run or by <c>render</c>, and the id <c>cancel</c> looks for. A run id of letters, digits and
/// <c>_ . -</c> is used as given. Anything else is made into that form deterministically, so CI can pass the same raw
/// value (a Jenkins BUILD_TAG with <c>%2F</c> in it, a branch name with slashes) to the run and to <c>cancel</c>:
/// surrounding blanks go, percent escapes are decoded (<c>a%2Fb</c> and <c>a/b</c> name the same run), and every other
/// character becomes <c>_</c>.
/// </summary>
public static class RunIds
{
    /// <summary>The environment variable that names a run.</summary>
    public const string Variable = "DISAGG_RUN_ID";

    /// <summary>Is <paramref name="id"/> already in the form <see cref="Sanitize"/> returns?</summary>
    public static bool IsSanitized(string id) => id.Length > 0 && id.All(IsAllowed);

    /// <summary>The run id to use for <paramref name="raw"/>; an empty or blank one is an error.</summary>
    public static string Sanitize(string raw)
    {
        var trimmed = raw.Trim();
        if (trimmed.Length == 0)
            throw new ArgumentException(
                $"the run id '{raw}' is empty; pass the run's {Variable}, or its results folder's name (letters, digits and _ . - are used as given)");
        if (IsSanitized(trimmed)) return trimmed;
        return new string([.. Uri.UnescapeDataString(trimmed).Select(c => IsAllowed(c) ? c : '_')]);
    }

    /// <summary><see cref="Variable"/> when it is set, else the name of the run's results folder; sanitised.</summary>
    public static string Resolve(string? variable, string resultsDir)
    {
        if (variable is { Length: > 0 })
            return variable.Trim().Length > 0
                ? Sanitize(variable)
                : throw new ArgumentException($"{Variable} is blank; set it to a run id, or unset it to name the run after its results folder");
        var folder = Path.GetFileName(resultsDir.TrimEnd('/', Path.DirectorySeparatorChar));
        return folder.Trim().Length > 0
            ? Sanitize(folder)
            : throw new ArgumentException($"{Variable} is not set and the results folder '{resultsDir}' has no name to use instead; set {Variable}");
    }

    private static bool IsAllowed(char c) => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.';
}
