using FluentAssertions;
using System.Text.Json.Nodes;
using Disagg.Harness.Publishing;
using Disagg.OpenSearchStandIn;

namespace Disagg.Harness.Tests.Publishing;

/// <summary>The OpenSearch client against the in-process stand-in, which enforces the ingestion contract.</summary>
public sealed class OpenSearchClientTests
{
    private const string User = "perf-bot";
    private const string Password = "s3cret-pw";

    private StandInServer _server = null!;
    private HttpClient _http = null!;
    private ImmediateTime _time = null!;
    private List<string> _log = null!;

    [SetUp]
    public async Task Start()
    {
        _server = await StandInServer.StartAsync(new StandInOptions { User = User, Password = Password }, CancellationToken.None);
        _http = new HttpClient { Timeout = Timeout.InfiniteTimeSpan };
        _time = new ImmediateTime();
        _log = [];
    }

    [TearDown]
    public async Task Stop()
    {
        _http.Dispose();
        await _server.DisposeAsync();
    }

    private OpenSearchClient Client(string? user = User, string? password = Password, bool poc = false)
    {
        var env = new Dictionary<string, string> { ["OPEN_SEARCH_DB_BASE_URL"] = _server.BaseUrl.ToString() };
        if (user is not null) env["OPEN_SEARCH_DB_CREDENTIALS_USR"] = user;
        if (password is not null) env["OPEN_SEARCH_DB_CREDENTIALS_PSW"] = password;
        if (poc) env["USE_POC_DB"] = "true";
        return new OpenSearchClient(_http, OpenSearchSettings.FromEnvironment(env)!, _time, line => { lock (_log) _log.Add(line); });
    }

    private int Stored(string project = OpenSearchSettings.PerfProject) => _server.Store.Count(project);

    [Test]
    public async Task Happy_path_posts_every_document_and_the_history_query_finds_them()
    {
        var client = Client();
        await client.PostAsync(PublishingSamples.Batch(), CancellationToken.None);
        var query = new JsonObject
        {
            ["query"] = new JsonObject
            {
                ["bool"] = new JsonObject
                {
                    ["must"] = new JsonArray(
                        new JsonObject { ["term"] = new JsonObject { ["b_is_valid"] = true } },
                        new JsonObject { ["term"] = new JsonObject { ["s_gpu_type"] = "gb200" } },
                        new JsonObject { ["term"] = new JsonObject { ["l_concurrency"] = 4 } },
                        new JsonObject { ["range"] = new JsonObject { ["ts_created"] = new JsonObject { ["gte"] = 0 } } }),
                },
            },
            ["size"] = 5000,
        };
        var hits = await client.SearchAsync(query, CancellationToken.None);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(Stored(), Is.EqualTo(2));
            Assert.That(hits, Has.Count.EqualTo(1));
            Assert.That(hits[0]["_id"]!.GetValue<string>(), Is.EqualTo(DocumentId.For("20250102-030405", PublishingSamples.TestId, "1001", 4)));
            Assert.That(hits[0]["d_seq_throughput"]!.GetValue<double>(), Is.EqualTo(17.5));
            Assert.That(_log, Is.Empty);
        }
    }

    [Test]
    public async Task Sandbox_project_needs_no_credentials()
    {
        await Client(user: null, password: null, poc: true).PostAsync(PublishingSamples.Batch(), CancellationToken.None);
        Assert.That(Stored(OpenSearchSettings.SandboxProject), Is.EqualTo(2));
    }

    [Test]
    public async Task Wrong_credentials_fail_at_once_without_retry_and_without_leaking_the_password()
    {
        var act = () => Client(password: "wrong-pw").PostAsync(PublishingSamples.Batch(), CancellationToken.None);
        var error = (await act.Should().ThrowAsync<UploadException>()).Which;
        using (Assert.EnterMultipleScope())
        {
            Assert.That(error.Status, Is.EqualTo(403));
            Assert.That(error.Category, Is.EqualTo("non_retryable"));
            Assert.That(_server.PostRequests, Is.EqualTo(1));
            Assert.That(error.ToString() + string.Join("\n", _log),
                Does.Not.Contain("wrong-pw").And.Not.Contain(Password).And.Contain("OPEN_SEARCH_DB_CREDENTIALS_USR"));
        }
    }

    [Test]
    public async Task Transient_503s_are_retried_with_backoff_and_then_succeed()
    {
        _server.Faults.FailNext(503, times: 2);
        await Client().PostAsync(PublishingSamples.Batch(), CancellationToken.None);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(_server.PostRequests, Is.EqualTo(3));
            Assert.That(Stored(), Is.EqualTo(2));
            Assert.That(_time.Delays.Where(d => d < TimeSpan.FromSeconds(15)), Is.EqualTo(new[] { TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(4) }));
            Assert.That(_log, Has.Count.EqualTo(2).And.All.Contain("cat=transient, status=503"));
        }
    }

    [Test]
    public async Task Persistent_500s_exhaust_five_attempts()
    {
        _server.Faults.FailNext(500, times: 5);
        var act = () => Client().PostAsync(PublishingSamples.Batch(), CancellationToken.None);
        (await act.Should().ThrowAsync<UploadException>()).Which.Category.Should().Be("exhausted");
        Assert.That(_server.PostRequests, Is.EqualTo(5));
    }

    [Test]
    public async Task A_400_from_the_service_is_not_retried()
    {
        _server.Faults.FailNext(400);
        var act = () => Client().PostAsync(PublishingSamples.Batch(), CancellationToken.None);
        (await act.Should().ThrowAsync<UploadException>()).Which.Status.Should().Be(400);
        Assert.That(_server.PostRequests, Is.EqualTo(1));
    }

    [Test]
    public async Task The_stand_in_itself_rejects_a_type_error_with_a_reason()
    {
        using var content = new StringContent("""[{"d_seq_throughput": 5}]""", System.Text.Encoding.UTF8, "application/json");
        using var response = await _http.PostAsync(new Uri(_server.BaseUrl, $"dataflow2/{OpenSearchSettings.SandboxProject}/posting"), content);
        Assert.That((int)response.StatusCode, Is.EqualTo(400));
        Assert.That(await response.Content.ReadAsStringAsync(), Does.Contain("d_seq_throughput"));
    }

    [Test]
    public async Task Reposting_the_same_documents_overwrites_them()
    {
        var client = Client();
        await client.PostAsync(PublishingSamples.Batch(), CancellationToken.None);
        await client.PostAsync(PublishingSamples.Batch(), CancellationToken.None);
        Assert.That(Stored(), Is.EqualTo(2));
    }

    [Test]
    public async Task A_document_failing_the_local_type_check_sends_nothing_of_the_batch()
    {
        var docs = OpenSearchDocumentBuilder.Build(PublishingSamples.Record());
        docs[1]["d_token_throughput"] = 160L;
        var act = () => Client().PostAsync(DocumentJson.Serialize(docs), CancellationToken.None);
        var error = (await act.Should().ThrowAsync<UploadException>()).Which;
        using (Assert.EnterMultipleScope())
        {
            Assert.That(error.Category, Is.EqualTo("type_check"));
            Assert.That(error.Message, Does.Contain("field 'd_token_throughput'").And.Contain("document 1"));
            Assert.That(_server.PostRequests, Is.Zero);
        }
    }

    [Test]
    public async Task Connection_refused_is_retried_then_reported()
    {
        var port = _server.BaseUrl.Port;
        await _server.DisposeAsync();
        _server = await StandInServer.StartAsync(new StandInOptions(), CancellationToken.None);
        var env = new Dictionary<string, string> { ["OPEN_SEARCH_DB_BASE_URL"] = $"http://127.0.0.1:{port}", ["USE_POC_DB"] = "true" };
        var client = new OpenSearchClient(_http, OpenSearchSettings.FromEnvironment(env)!, _time, _log.Add);
        var act = () => client.PostAsync(PublishingSamples.Batch(), CancellationToken.None);
        (await act.Should().ThrowAsync<UploadException>()).Which.Category.Should().Be("exhausted");
        Assert.That(_log.Count(l => l.Contains("cat=network", StringComparison.Ordinal)), Is.EqualTo(5));
    }

    [Test]
    public async Task Posted_documents_become_visible_only_after_the_indexing_delay()
    {
        await using var slow = await StandInServer.StartAsync(new StandInOptions { VisibilityDelay = TimeSpan.FromHours(1) }, CancellationToken.None);
        var env = new Dictionary<string, string> { ["OPEN_SEARCH_DB_BASE_URL"] = slow.BaseUrl.ToString(), ["USE_POC_DB"] = "true" };
        var client = new OpenSearchClient(_http, OpenSearchSettings.FromEnvironment(env)!, _time, _log.Add);
        await client.PostAsync(PublishingSamples.Batch(), CancellationToken.None);
        var hits = await client.SearchAsync(new JsonObject { ["query"] = new JsonObject { ["match_all"] = new JsonObject() } }, CancellationToken.None);
        Assert.That(hits, Is.Empty);
    }
}
