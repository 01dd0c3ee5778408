using System.Text.Json.Nodes;
using Disagg.Harness.Publishing;

namespace Disagg.Harness.Tests.Publishing;

/// <summary>
/// The startup-metrics and checkpoint-IO fields, from the observation list a job writes (the shape of perf-sanity's
/// startup_metrics.&lt;idx&gt;.json; expected values from test_perf_sanity.add_startup_metric_values).
/// </summary>
public sealed class StartupFieldsTests
{
    private const string Observations = """
        [
          {"role": "ctx", "server_name": "CTX_0", "metrics": {"total_model_loading_seconds": 120.5, "checkpoint_pipeline_seconds": 80.0},
           "checkpoint_io_policies": [{"requested": "auto", "selected": "gds", "activated": true, "effective": "gds", "fallback_reason": "none"}]},
          {"role": "gen", "server_name": "GEN_0", "metrics": {"total_model_loading_seconds": 140.25},
           "checkpoint_io_policies": [{"requested": "auto", "selected": "mmap", "activated": false, "effective": "posix", "fallback_reason": "no gds"},
                                      {"requested": "auto", "selected": "gds", "activated": true, "effective": "gds", "fallback_reason": "none"}]},
          {"role": "gen", "server_name": "GEN_1", "metrics": {"total_model_loading_seconds": 150.75}, "checkpoint_io_policies": []},
          {"role": "gen", "server_name": "GEN_2", "error": "URLError: timed out"}
        ]
        """;

    [Test]
    public void Per_role_counts_the_slowest_server_and_the_policies_seen()
    {
        var observations = StartupObservation.Read(Observations);
        var doc = new JsonObject();
        StartupFields.Add(doc, observations, "ctx", 1);
        StartupFields.Add(doc, observations, "gen", 4);
        var expected = JsonNode.Parse("""
            {
              "l_ctx_startup_metrics_expected_server_count": 1, "l_ctx_startup_metrics_discovered_server_count": 1,
              "l_ctx_startup_metrics_failed_server_count": 0, "b_ctx_startup_metrics_collection_complete": true,
              "d_ctx_checkpoint_pipeline_seconds": 80.0, "d_ctx_total_model_loading_seconds": 120.5,
              "s_ctx_checkpoint_io_policy_requested": "auto", "s_ctx_checkpoint_io_policy_selected": "gds", "s_ctx_checkpoint_io_policy_effective": "gds",
              "l_ctx_checkpoint_io_policy_status_count": 1, "l_ctx_checkpoint_io_policy_activated_status_count": 1,
              "l_gen_startup_metrics_expected_server_count": 4, "l_gen_startup_metrics_discovered_server_count": 3,
              "l_gen_startup_metrics_failed_server_count": 1, "b_gen_startup_metrics_collection_complete": false,
              "d_gen_total_model_loading_seconds": 150.75,
              "s_gen_checkpoint_io_policy_requested": "auto", "s_gen_checkpoint_io_policy_selected": "gds,mmap",
              "s_gen_checkpoint_io_policy_effective": "gds,posix",
              "l_gen_checkpoint_io_policy_status_count": 2, "l_gen_checkpoint_io_policy_activated_status_count": 1
            }
            """)!.AsObject();
        var written = JsonNode.Parse(DocumentJson.Serialize([doc]))!.AsArray()[0]!.AsObject();
        Assert.That(written.Select(p => p.Key), Is.EquivalentTo(expected.Select(p => p.Key)));
        foreach (var (key, value) in expected)
            Assert.That(written[key]!.ToJsonString(), Is.EqualTo(value!.ToJsonString()), key);
        Assert.That(DocumentTypeCheck.Check(DocumentJson.Serialize([doc])), Is.Empty);
    }

    [Test]
    public void A_role_without_servers_or_observations_adds_nothing_and_a_missing_file_reads_as_none()
    {
        var doc = new JsonObject();
        StartupFields.Add(doc, [], "ctx", 0);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(doc, Is.Empty);
            Assert.That(StartupObservation.ReadFolder(Path.Combine(Path.GetTempPath(), Guid.NewGuid().ToString("N"))), Is.Empty);
            Assert.That(StartupObservation.Read("{\"not\": \"a list\"}"), Is.Empty);
            Assert.That(StartupObservation.Read("not json"), Is.Empty);
        }
    }
}
