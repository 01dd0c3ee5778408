using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Disagg.OpenSearchStandIn;

/// <summary>
/// The query subset the history lookup uses: <c>match_all</c>, <c>term</c>, <c>range</c> (gt/gte/lt/lte),
/// <c>exists</c> and <c>bool</c> with must/filter/should/must_not/minimum_should_match. Anything else is an error.
/// </summary>
public static class SearchQuery
{
    /// <summary>Checks the whole query once, so a malformed clause is refused even when no document reaches it.</summary>
    public static void Validate(JsonNode? query)
    {
        if (query is null) return;
        if (query is not JsonObject q || q.Count != 1) throw new FormatException("a query clause must be an object with exactly one key");
        var (kind, body) = q.First();
        if (kind != "bool")
        {
            Matches(query, []);
            return;
        }
        var b = body as JsonObject ?? throw new FormatException("bool must be an object");
        foreach (var key in new[] { "must", "filter", "should", "must_not" })
            foreach (var clause in Clauses(b, key)) Validate(clause);
    }

    public static bool Matches(JsonNode? query, JsonObject doc)
    {
        if (query is null) return true;
        if (query is not JsonObject q || q.Count != 1) throw new FormatException("a query clause must be an object with exactly one key");
        var (kind, body) = q.First();
        switch (kind)
        {
            case "match_all":
                return true;
            case "term":
            {
                var (field, expected) = Single(body, "term");
                if (expected is JsonObject { } wrapped && wrapped["value"] is { } value) expected = value;
                if (expected is not JsonValue)
                    throw new FormatException($"[term] query on '{field}' needs a single value (a string, number or boolean); use terms for a list");
                return doc[field] is { } actual && JsonNode.DeepEquals(Normalize(actual), Normalize(expected));
            }
            case "range":
            {
                var (field, bounds) = Single(body, "range");
                if (doc[field] is not JsonValue actual || !TryNumber(actual, out var v)) return false;
                foreach (var (op, bound) in (JsonObject)bounds!)
                {
                    if (bound is not JsonValue b || !TryNumber(b, out var x)) throw new FormatException($"range bound {op} must be a number");
                    var ok = op switch
                    {
                        "gt" => v > x,
                        "gte" => v >= x,
                        "lt" => v < x,
                        "lte" => v <= x,
                        _ => throw new FormatException($"unsupported range operator {op}"),
                    };
                    if (!ok) return false;
                }
                return true;
            }
            case "exists":
                return body?["field"]?.GetValue<string>() is { } f && doc[f] is not null;
            case "bool":
            {
                var b = body as JsonObject ?? throw new FormatException("bool must be an object");
                if (Clauses(b, "must").Concat(Clauses(b, "filter")).Any(c => !Matches(c, doc))) return false;
                if (Clauses(b, "must_not").Any(c => Matches(c, doc))) return false;
                var should = Clauses(b, "should").ToList();
                var minimum = b["minimum_should_match"]?.GetValue<int>() ?? (should.Count > 0 && !b.ContainsKey("must") && !b.ContainsKey("filter") ? 1 : 0);
                return should.Count(c => Matches(c, doc)) >= minimum;
            }
            default:
                throw new FormatException($"query type '{kind}' is not supported by the stand-in");
        }
    }

    private static IEnumerable<JsonNode?> Clauses(JsonObject b, string key) => b[key] switch
    {
        null => [],
        JsonArray a => a,
        var single => [single],
    };

    private static (string Field, JsonNode? Value) Single(JsonNode? body, string kind) =>
        body is JsonObject { Count: 1 } o ? (o.First().Key, o.First().Value) : throw new FormatException($"{kind} must name exactly one field");

    private static JsonNode? Normalize(JsonNode? node) =>
        node is JsonValue v && TryNumber(v, out var d) ? JsonValue.Create(d) : node;

    private static bool TryNumber(JsonValue v, out double d)
    {
        d = 0;
        if (v.GetValueKind() != JsonValueKind.Number) return false;
        return double.TryParse(v.ToJsonString(), NumberStyles.Float, CultureInfo.InvariantCulture, out d);
    }
}
