using Disagg.Harness.Publishing;
using Disagg.Harness.Tests.Fixtures;
using Disagg.OpenSearchStandIn;

namespace Disagg.Harness.Tests.Publishing;

/// <summary>
/// Real peers for publishing tests: a throwaway PostgreSQL database for the fixture, and per test a fresh
/// OpenSearch stand-in, HTTP client, results folder and log.
/// </summary>
[RequiresCluster(Needs.Postgres)]
internal abstract class PublishingPeersFixture
{
    protected PostgresScratch Db { get; private set; } = null!;
    protected StandInServer Server { get; private set; } = null!;
    protected HttpClient Http { get; private set; } = null!;
    protected string Results { get; private set; } = null!;
    protected List<string> Log { get; private set; } = null!;

    [OneTimeSetUp]
    public async Task CreateDatabase() => Db = await PostgresScratch.CreateAsync();

    [OneTimeTearDown]
    public async Task DropDatabase()
    {
        if (Db is not null) await Db.DisposeAsync();
    }

    [SetUp]
    public async Task StartPeers()
    {
        Server = await StandInServer.StartAsync(new StandInOptions(), CancellationToken.None);
        Http = new HttpClient { Timeout = Timeout.InfiniteTimeSpan };
        Results = Directory.CreateTempSubdirectory("disagg-publish-").FullName;
        Log = [];
    }

    [TearDown]
    public async Task StopPeers()
    {
        Http.Dispose();
        await Server.DisposeAsync();
        if (Directory.Exists(Results)) Directory.Delete(Results, recursive: true);
    }

    protected ResultPublisher Publisher(Dictionary<string, string> env) => ResultPublisher.Create(Results, env, new ImmediateTime(), Log.Add, Http);
}
