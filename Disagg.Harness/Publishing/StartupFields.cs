using System.Text.Json.Nodes;

namespace Disagg.Harness.Publishing;

/// <summary>
/// The informational startup fields of a document, per role: how many servers were expected, discovered and failed, and
/// whether the collection was complete; the slowest server's value of every startup metric (the slowest one decides
/// when the fleet is ready); and the checkpoint I/O policies seen. A role without servers and without observations adds
/// nothing. These fields are never matched on nor gated.
/// </summary>
public static class StartupFields
{
    public static void Add(JsonObject doc, IReadOnlyList<StartupObservation> observations, string role, int expectedServers)
    {
        var selected = observations.Where(o => o.Role == role).ToList();
        if (expectedServers == 0 && selected.Count == 0) return;
        var failed = selected.Count(o => o.Error is not null);
        doc[$"l_{role}_startup_metrics_expected_server_count"] = (long)expectedServers;
        doc[$"l_{role}_startup_metrics_discovered_server_count"] = (long)selected.Count;
        doc[$"l_{role}_startup_metrics_failed_server_count"] = (long)failed;
        doc[$"b_{role}_startup_metrics_collection_complete"] = selected.Count == expectedServers && failed == 0;
        var successful = selected.Where(o => o.Error is null).ToList();
        foreach (var name in successful.SelectMany(o => o.Metrics.Keys).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal))
            doc[$"d_{role}_{name}"] = successful.Where(o => o.Metrics.ContainsKey(name)).Max(o => o.Metrics[name]);
        var policies = successful.SelectMany(o => o.Policies).ToList();
        var fields = new (string, Func<CheckpointIoPolicy, string>)[]
        {
            ("requested", p => p.Requested), ("selected", p => p.Selected), ("effective", p => p.Effective),
        };
        foreach (var (field, value) in fields)
        {
            var values = policies.Select(value).Where(v => v.Length > 0).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
            if (values.Count > 0) doc[$"s_{role}_checkpoint_io_policy_{field}"] = string.Join(",", values);
        }
        var activated = policies.Where(p => p.Activated is not null).Select(p => p.Activated!.Value).ToList();
        if (activated.Count == 0) return;
        doc[$"l_{role}_checkpoint_io_policy_status_count"] = (long)activated.Count;
        doc[$"l_{role}_checkpoint_io_policy_activated_status_count"] = (long)activated.Count(a => a);
    }
}
