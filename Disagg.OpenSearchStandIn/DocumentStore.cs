using System.Collections.Concurrent;
using System.Text.Json.Nodes;

namespace Disagg.OpenSearchStandIn;

/// <summary>Documents per project, keyed by <c>_id</c>: posting an existing id overwrites it.</summary>
public sealed class DocumentStore
{
    private readonly ConcurrentDictionary<string, ConcurrentDictionary<string, Stored>> _projects = new(StringComparer.Ordinal);

    public sealed record Stored(string Id, JsonObject Source, DateTimeOffset VisibleAt);

    public void Put(string project, string id, JsonObject source, DateTimeOffset visibleAt) =>
        _projects.GetOrAdd(project, _ => new(StringComparer.Ordinal))[id] = new Stored(id, source, visibleAt);

    public IReadOnlyList<Stored> All(string project) =>
        _projects.TryGetValue(project, out var docs) ? [.. docs.Values.OrderBy(d => d.Id, StringComparer.Ordinal)] : [];

    public int Count(string project) => _projects.TryGetValue(project, out var docs) ? docs.Count : 0;

    public IEnumerable<string> Projects => _projects.Keys;
}
