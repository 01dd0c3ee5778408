using System.Text.Json.Nodes;
using Disagg.Harness.Thresholds;

namespace Disagg.Harness.Publishing;

/// <summary>
/// History from OpenSearch through <see cref="OpenSearchClient.SearchAsync"/>, with the query perf-sanity runs send:
/// valid, post-merge, non-baseline documents created since the lookback start (<c>ts_created</c>, epoch ms), narrowed
/// by every case key field whose value is the same for all of the run's cases (GPU type, runtime and branch; the test
/// case name too when the run has one concurrency). Hits map to records as in <see cref="JsonFileHistorySource"/>.
/// </summary>
public sealed class OpenSearchHistorySource(OpenSearchClient client) : IHistorySource
{
    public const int MaxHits = 5000;

    public static JsonObject Query(HistoryQuery query)
    {
        var must = new JsonArray(
            Term("b_is_valid", true),
            Term("b_is_post_merge", true),
            Term("b_is_baseline", false),
            new JsonObject { ["range"] = new JsonObject { ["ts_created"] = new JsonObject { ["gte"] = query.Since.ToUnixTimeMilliseconds() } } });
        foreach (var (field, value) in query.CommonValues()) must.Add(Term(field, value));
        return new JsonObject
        {
            ["query"] = new JsonObject { ["bool"] = new JsonObject { ["must"] = must } },
            ["size"] = MaxHits,
        };
    }

    public async Task<IReadOnlyList<HistoryRecord>> GetAsync(HistoryQuery query, CancellationToken cancellationToken)
    {
        var hits = await client.SearchAsync(Query(query), cancellationToken).ConfigureAwait(false);
        var array = new JsonArray([.. hits.Select(h => (JsonNode)h.DeepClone())]);
        return JsonFileHistorySource.Read(array.ToJsonString(), $"OpenSearch {client.Settings}").Where(query.Wants).ToList();
    }

    private static JsonObject Term(string field, JsonNode value) => new() { ["term"] = new JsonObject { [field] = value } };
}
