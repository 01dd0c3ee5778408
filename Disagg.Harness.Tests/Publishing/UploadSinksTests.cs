using Disagg.Harness.Publishing;

namespace Disagg.Harness.Tests.Publishing;

/// <summary>The one choice of destinations that teardown and upload-pending share, from the environment alone (nothing is sent).</summary>
public sealed class UploadSinksTests
{
    private static readonly HttpClient Http = new();

    private static UploadSinks Select(Dictionary<string, string> env) =>
        UploadSinks.FromEnvironment(env, "/results/run-1", TimeProvider.System, _ => { }, Http);

    [Test]
    public void Without_configuration_opensearch_is_skipped_and_the_perf_db_is_the_embedded_file()
    {
        var selected = Select([]);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(selected.Sinks.Select(s => s.Kind), Is.EqualTo(new[] { OutboxEntry.PerfDb }));
            Assert.That(selected.Sinks[0].Describe, Does.Contain("/results/run-1/perfdb.sqlite"));
            Assert.That(selected.Skipped, Is.EqualTo(new[]
            {
                "upload opensearch: skipped: OPEN_SEARCH_DB_BASE_URL not set",
                "upload perfdb: DISAGG_PERFDB_CONNECTION not set, using the embedded Perf DB /results/run-1/perfdb.sqlite",
            }));
        }
    }

    [Test]
    public void Both_configured_are_both_chosen_with_nothing_skipped()
    {
        var selected = Select(new()
        {
            ["OPEN_SEARCH_DB_BASE_URL"] = "http://127.0.0.1:9", ["USE_POC_DB"] = "true",
            ["DISAGG_PERFDB_CONNECTION"] = "Host=127.0.0.1;Port=9;Username=u;Database=d",
        });
        using (Assert.EnterMultipleScope())
        {
            Assert.That(selected.Sinks.Select(s => s.Kind), Is.EqualTo(new[] { OutboxEntry.OpenSearch, OutboxEntry.PerfDb }));
            Assert.That(selected.Sinks[1].Describe, Is.EqualTo("Perf DB u@127.0.0.1:9/d"));
            Assert.That(selected.Skipped, Is.Empty);
        }
    }

    [Test]
    public void A_disabled_perf_db_is_a_skipped_line_and_an_invalid_switch_is_a_config_error()
    {
        using (Assert.EnterMultipleScope())
        {
            Assert.That(Select(new() { ["UPLOAD_TO_PERFDB"] = "false" }).Sinks, Is.Empty);
            Assert.That(Select(new() { ["UPLOAD_TO_PERFDB"] = "0" }).Skipped, Does.Contain("upload perfdb: skipped: UPLOAD_TO_PERFDB=false"));
            Assert.That(() => Select(new() { ["UPLOAD_TO_PERFDB"] = "maybe" }),
                Throws.TypeOf<UploadException>().With.Property(nameof(UploadException.Category)).EqualTo("config"));
        }
    }
}
