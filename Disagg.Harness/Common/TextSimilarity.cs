namespace Disagg.Harness.Common;

/// <summary>
/// Finds the nearest known word, so typos get a "did you mean" instead of a bare rejection. The simulator compiles
/// this same file (see Disagg.Sim.csproj), so the harness and the simulator suggest alike.
/// </summary>
public static class TextSimilarity
{
    /// <summary>Levenshtein distance, ignoring case.</summary>
    public static int EditDistance(string a, string b)
    {
        var previous = new int[b.Length + 1];
        var current = new int[b.Length + 1];
        for (var j = 0; j <= b.Length; j++) previous[j] = j;
        for (var i = 1; i <= a.Length; i++)
        {
            current[0] = i;
            for (var j = 1; j <= b.Length; j++)
            {
                var cost = char.ToLowerInvariant(a[i - 1]) == char.ToLowerInvariant(b[j - 1]) ? 0 : 1;
                current[j] = Math.Min(Math.Min(current[j - 1] + 1, previous[j] + 1), previous[j - 1] + cost);
            }
            (previous, current) = (current, previous);
        }
        return previous[b.Length];
    }

    /// <summary>
    /// The closest candidate within a distance proportional to the word, or null when nothing is close. Among equally
    /// close ones, a candidate that starts with the word (or that the word starts with) wins, then the ordinal first.
    /// </summary>
    public static string? Nearest(string word, IEnumerable<string> candidates)
    {
        var limit = Math.Max(2, word.Length / 3);
        return candidates
            .Select(c => (Candidate: c, Distance: EditDistance(word, c)))
            .Where(x => x.Distance <= limit)
            .OrderBy(x => x.Distance)
            .ThenBy(x => IsPrefixPair(word, x.Candidate) ? 0 : 1)
            .ThenBy(x => x.Candidate, StringComparer.Ordinal)
            .Select(x => x.Candidate)
            .FirstOrDefault();
    }

    /// <summary><c> (did you mean 'x'?)</c> for the nearest candidate, or an empty string when nothing is close.</summary>
    public static string DidYouMean(string word, IEnumerable<string> candidates) =>
        Nearest(word, candidates) is { } near ? $" (did you mean '{near}'?)" : "";

    private static bool IsPrefixPair(string word, string candidate) =>
        candidate.StartsWith(word, StringComparison.OrdinalIgnoreCase) || word.StartsWith(candidate, StringComparison.OrdinalIgnoreCase);
}
