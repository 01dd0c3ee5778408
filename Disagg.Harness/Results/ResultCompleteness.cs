using Disagg.Harness.Configuration;

namespace Disagg.Harness.Results;

/// <summary>Checks that a parsed log holds exactly one clean, complete block per expected concurrency.</summary>
public static class ResultCompleteness
{
    public static IReadOnlyList<string> Check(BenchmarkLog log, IReadOnlyList<int> expectedConcurrencies, int multiRound)
    {
        var problems = new List<string>(log.Problems);
        foreach (var c in expectedConcurrencies)
        {
            var matches = log.Blocks.Where(b => b.Concurrency == c).ToList();
            if (matches.Count == 0)
            {
                var last = log.Blocks.LastOrDefault();
                problems.Add($"{log.File}: no result block for concurrency {c}" +
                             (last is null
                                 ? " (the log has no complete result block)"
                                 : $" (last complete block: concurrency {last.Concurrency}, line {last.EndLine})"));
                continue;
            }
            if (matches.Count > 1)
                problems.Add($"{log.File}: {matches.Count} result blocks for concurrency {c} " +
                             $"(lines {string.Join(", ", matches.Select(m => m.StartLine))}); expected exactly one");
            var block = matches[^1];
            var at = $"{log.File}:{block.StartLine}: concurrency {c}";
            if (!block.DoneLineSeen)
                problems.Add($"{at}: missing 'Benchmark with concurrency {c} done' after the block");
            foreach (var name in MetricCatalog.Required.Where(n => !block.Metrics.ContainsKey(n)))
                problems.Add($"{at}: metric '{MetricCatalog.ByName(name)!.Label}' is missing from the result block");
            if (block["failed_requests"] is > 0 and var failed)
                problems.Add($"{at}: {failed} failed request(s)");
            if (block.FailedBanner)
                problems.Add($"{at}: the client printed !FAILED REQUESTS! / !CHECK LOG FOR ERRORS!");
            var expectedPrompts = c * multiRound;
            if (block["successful_requests"] is { } ok && ok < expectedPrompts)
                problems.Add($"{at}: {ok} successful requests, expected {expectedPrompts} (concurrency {c} x multi_round {multiRound})");
        }
        foreach (var extra in log.Blocks.Where(b => !expectedConcurrencies.Contains(b.Concurrency)))
            problems.Add($"{log.File}:{extra.StartLine}: unexpected result block for concurrency {extra.Concurrency}");
        return problems;
    }
}
