using System.Globalization;
using System.Text.RegularExpressions;

namespace Disagg.Harness.Cluster;

/// <summary>
/// SLURM host lists (<c>node[1-3,5],gpu7</c>) expanded into node names, and the strict pattern a node name must match
/// before it reaches <c>sbatch --exclude</c>.
/// </summary>
public static partial class NodeList
{
    /// <summary>The names in a host list, in order, without duplicates; an empty or unparsable list gives none.</summary>
    public static IReadOnlyList<string> Expand(string? hostList)
    {
        var names = new List<string>();
        if (string.IsNullOrWhiteSpace(hostList) || hostList.Trim() is "None assigned" or "(null)") return names;
        foreach (Match m in Item().Matches(hostList))
        {
            var prefix = m.Groups["prefix"].Value;
            if (!m.Groups["ranges"].Success)
            {
                names.Add(prefix + m.Groups["suffix"].Value);
                continue;
            }
            foreach (var range in m.Groups["ranges"].Value.Split(','))
            {
                var bounds = range.Split('-');
                if (bounds.Length == 2 && int.TryParse(bounds[0], CultureInfo.InvariantCulture, out var from)
                    && int.TryParse(bounds[1], CultureInfo.InvariantCulture, out var to) && to >= from && to - from < 10_000)
                {
                    for (var i = from; i <= to; i++)
                        names.Add(prefix + i.ToString(CultureInfo.InvariantCulture).PadLeft(bounds[0].Length, '0') + m.Groups["suffix"].Value);
                }
                else names.Add(prefix + range + m.Groups["suffix"].Value);
            }
        }
        return [.. names.Where(IsValidName).Distinct(StringComparer.Ordinal)];
    }

    /// <summary>A node name safe to pass to SLURM: letters, digits, <c>.</c>, <c>_</c> and <c>-</c>.</summary>
    public static bool IsValidName(string name) => ValidName().IsMatch(name);

    [GeneratedRegex(@"(?<prefix>[A-Za-z0-9._-]*)(?:\[(?<ranges>[0-9,-]+)\])?(?<suffix>[A-Za-z0-9._-]*)")]
    private static partial Regex Item();

    [GeneratedRegex(@"^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$")]
    private static partial Regex ValidName();
}
