using System.Text.RegularExpressions;

namespace Disagg.Harness.Common;

/// <summary>Test ids that <c>dotnet test --filter</c> can match literally: letters, digits and <c>_ . -</c>.</summary>
public static partial class FilterSafeId
{
    [GeneratedRegex(@"^[A-Za-z0-9_.\-]+\z")]
    private static partial Regex Pattern();

    public static bool IsMatch(string id) => Pattern().IsMatch(id);
}
