namespace Disagg.Sim.Cli;

/// <summary>Finds the closest valid spelling for a mistyped flag, verb or fault name.</summary>
internal static class NearestName
{
    /// <summary>The candidate with the smallest edit distance (prefix matches win ties).</summary>
    public static string? Find(string input, IEnumerable<string> candidates)
    {
        string? best = null;
        var bestScore = int.MaxValue;
        foreach (var candidate in candidates.Distinct(StringComparer.Ordinal))
        {
            var score = Distance(input, candidate) * 2;
            if (candidate.StartsWith(input, StringComparison.Ordinal) || input.StartsWith(candidate, StringComparison.Ordinal))
            {
                score -= 1;
            }

            if (score < bestScore)
            {
                bestScore = score;
                best = candidate;
            }
        }

        return best;
    }

    /// <summary>" (did you mean 'x'?)" or an empty string when there is no candidate.</summary>
    public static string Hint(string input, IEnumerable<string> candidates)
    {
        var nearest = Find(input, candidates);
        return nearest is null ? string.Empty : $" (did you mean '{nearest}'?)";
    }

    /// <summary>Levenshtein distance.</summary>
    public static int Distance(string a, string b)
    {
        var previous = new int[b.Length + 1];
        var current = new int[b.Length + 1];
        for (var j = 0; j <= b.Length; j++)
        {
            previous[j] = j;
        }

        for (var i = 1; i <= a.Length; i++)
        {
            current[0] = i;
            for (var j = 1; j <= b.Length; j++)
            {
                var cost = a[i - 1] == b[j - 1] ? 0 : 1;
                current[j] = Math.Min(Math.Min(current[j - 1] + 1, previous[j] + 1), previous[j - 1] + cost);
            }

            (previous, current) = (current, previous);
        }

        return previous[b.Length];
    }
}
