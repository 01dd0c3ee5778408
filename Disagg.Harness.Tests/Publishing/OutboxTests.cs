using System.Security.Cryptography;
using System.Text;
using Disagg.Harness.Publishing;
using FluentAssertions;

namespace Disagg.Harness.Tests.Publishing;

/// <summary>
/// The outbox trusts file names, not contents (issue 15): an entry whose "id" pointed two folders up once deleted a
/// file there, a copied entry deleted the other and stayed forever, and one truncated file stopped every upload.
/// </summary>
public sealed class OutboxTests
{
    private string _root = "";
    private string _results = "";
    private string _outbox = "";

    [SetUp]
    public void CreateFolders()
    {
        _root = Directory.CreateTempSubdirectory("disagg-outbox-").FullName;
        _results = Path.Combine(_root, "runs", "run-1");
        _outbox = Path.Combine(_results, "outbox");
        Directory.CreateDirectory(_outbox);
    }

    [TearDown]
    public void RemoveFolders() => Directory.Delete(_root, recursive: true);

    /// <summary>Records every payload it accepts.</summary>
    private sealed class RecordingSink(string kind) : IResultSink
    {
        public List<string> Payloads { get; } = [];
        public string Kind => kind;
        public string Describe => "recording " + kind;

        public Task SendAsync(string payload, CancellationToken cancellationToken)
        {
            Payloads.Add(payload);
            return Task.CompletedTask;
        }
    }

    private static OutboxEntry Entry(string id, string kind, string marker) =>
        new(id, kind, "disagg_perf_t", DateTimeOffset.UnixEpoch, 0, null, $"{{\"marker\":\"{marker}\"}}");

    /// <summary>Path and SHA-256 of every file under <paramref name="dir"/>, except those under <paramref name="skip"/>.</summary>
    private static Dictionary<string, string> Snapshot(string dir, string skip) =>
        Directory.GetFiles(dir, "*", SearchOption.AllDirectories)
            .Where(f => !f.StartsWith(skip + Path.DirectorySeparatorChar, StringComparison.Ordinal))
            .ToDictionary(f => f, f => Convert.ToHexString(SHA256.HashData(File.ReadAllBytes(f))));

    /// <summary>A folder with two good entries and one of everything bad, and files outside the outbox that must survive.</summary>
    private void PlantHostileOutbox()
    {
        var outbox = new Outbox(_results);
        outbox.Write(Entry("good-opensearch", OutboxEntry.OpenSearch, "good-1"));
        outbox.Write(Entry("good-perfdb", OutboxEntry.PerfDb, "good-2"));
        File.WriteAllText(Path.Combine(_root, "victim.json"), "must survive");
        File.WriteAllText(Path.Combine(_results, "results.json"), "must survive too");
        // Traversal: a well-formed entry whose id points two folders up.
        var traversal = File.ReadAllText(outbox.PathOf("good-perfdb")).Replace("\"id\": \"good-perfdb\"", "\"id\": \"../../victim\"", StringComparison.Ordinal);
        File.WriteAllText(Path.Combine(_outbox, "traversal.json"), traversal);
        // Duplicate: cp good-opensearch.json copy.json.
        File.Copy(outbox.PathOf("good-opensearch"), Path.Combine(_outbox, "copy.json"));
        // Truncated: half of a good entry.
        var whole = File.ReadAllBytes(outbox.PathOf("good-perfdb"));
        File.WriteAllBytes(Path.Combine(_outbox, "truncated.json"), whole[..(whole.Length / 2)]);
        // Garbage: bytes that are not even UTF-8, and a file whose name is not an id.
        File.WriteAllBytes(Path.Combine(_outbox, "garbage.json"), [0xFF, 0xFE, 0x00, 0x7B, 0x22]);
        File.WriteAllText(Path.Combine(_outbox, "two words;x.json"), "{}");
        File.CreateSymbolicLink(Path.Combine(_outbox, "link.json"), Path.Combine(_root, "victim.json"));
        // A leftover of an interrupted write.
        File.WriteAllText(Path.Combine(_outbox, "good-next.json.tmp"), "{\"id\": \"good-ne");
    }

    [Test]
    public async Task Good_entries_upload_exactly_once_bad_files_are_quarantined_and_nothing_outside_changes()
    {
        PlantHostileOutbox();
        var outside = Snapshot(_root, _outbox);
        var openSearch = new RecordingSink(OutboxEntry.OpenSearch);
        var perfDb = new RecordingSink(OutboxEntry.PerfDb);
        var uploader = new OutboxUploader([openSearch, perfDb], TimeProvider.System);

        var first = await uploader.UploadPendingAsync(_results, CancellationToken.None);
        var second = await uploader.UploadPendingAsync(_results, CancellationToken.None);

        var quarantine = Path.Combine(_outbox, "quarantine");
        using (Assert.EnterMultipleScope())
        {
            openSearch.Payloads.Should().Equal("{\"marker\":\"good-1\"}");
            perfDb.Payloads.Should().Equal("{\"marker\":\"good-2\"}");
            Snapshot(_root, _outbox).Should().Equal(outside, "nothing outside outbox/ is written or removed");
            Directory.GetFiles(_outbox).Select(Path.GetFileName).Should().Equal("good-next.json.tmp");
            Directory.GetFiles(quarantine).Select(Path.GetFileName).Order(StringComparer.Ordinal).Should().Equal(
                "copy.json", "copy.json.reason.txt", "garbage.json", "garbage.json.reason.txt", "link.json", "link.json.reason.txt",
                "traversal.json", "traversal.json.reason.txt", "truncated.json", "truncated.json.reason.txt",
                "two words;x.json", "two words;x.json.reason.txt");
            File.ReadAllText(Path.Combine(quarantine, "traversal.json.reason.txt")).Should().Be(
                "traversal.json: says it is entry '../../victim' but is named traversal.json (a copy of another entry, or edited by hand)\n");
            File.ReadAllText(Path.Combine(quarantine, "copy.json.reason.txt"))
                .Should().StartWith("copy.json: says it is entry 'good-opensearch' but is named copy.json");
            File.ReadAllText(Path.Combine(quarantine, "truncated.json.reason.txt")).Should().StartWith("truncated.json: cannot be read as an outbox entry (");
            File.ReadAllText(Path.Combine(quarantine, "link.json.reason.txt")).Should().StartWith("link.json: is a symbolic link");
            File.ReadAllText(Path.Combine(quarantine, "two words;x.json.reason.txt"))
                .Should().StartWith("two words;x.json: has a name that is not an entry id");
            first.Quarantined.Should().HaveCount(6);
            first.Leftovers.Should().ContainSingle().Which.Should().StartWith("outbox file good-next.json.tmp (15 bytes, ");
            first.Succeeded.Should().BeTrue();
            second.Quarantined.Should().BeEmpty("the quarantine folder is not scanned again");
            second.Lines.Should().ContainSingle().Which.Should().StartWith("outbox file good-next.json.tmp");
            File.ReadAllText(Path.Combine(_root, "victim.json")).Should().Be("must survive");
        }
    }

    [Test]
    public void A_second_quarantined_file_of_the_same_name_gets_a_number()
    {
        File.WriteAllText(Path.Combine(_outbox, "x.json"), "garbage 1");
        new Outbox(_results).Scan(quarantine: true);
        File.WriteAllText(Path.Combine(_outbox, "x.json"), "garbage 2");
        new Outbox(_results).Scan(quarantine: true).Quarantined.Should().ContainSingle()
            .Which.Should().EndWith($"moved to {Path.Combine(_outbox, "quarantine", "x.json.1")} and not uploaded");
        File.ReadAllText(Path.Combine(_outbox, "quarantine", "x.json")).Should().Be("garbage 1");
    }

    [Test]
    public void Pending_skips_bad_files_without_moving_them()
    {
        PlantHostileOutbox();
        new Outbox(_results).Pending().Select(e => e.Id).Should().Equal("good-opensearch", "good-perfdb");
        File.Exists(Path.Combine(_outbox, "traversal.json")).Should().BeTrue();
    }

    [TestCase("../../victim")]
    [TestCase("a/b")]
    [TestCase("")]
    [TestCase("x\n")]
    public void An_id_that_is_not_a_plain_name_is_never_turned_into_a_path(string id)
    {
        var outbox = new Outbox(_results);
        Assert.Throws<ArgumentException>(() => outbox.PathOf(id));
        Assert.Throws<ArgumentException>(() => outbox.Write(Entry(id, OutboxEntry.PerfDb, "x")));
        Assert.Throws<ArgumentException>(() => outbox.Remove(id));
    }

    [Test]
    public async Task A_failed_send_rewrites_the_entry_under_its_file_name()
    {
        var outbox = new Outbox(_results);
        outbox.Write(Entry("e1", OutboxEntry.PerfDb, "m"));
        var failing = new FailingSink();
        var report = await new OutboxUploader([failing], TimeProvider.System).UploadPendingAsync(_results, CancellationToken.None);
        report.Succeeded.Should().BeFalse();
        var (entry, problem) = Outbox.Read(outbox.PathOf("e1"));
        problem.Should().BeNull();
        entry!.Sends.Should().Be(1);
        Encoding.UTF8.GetString(File.ReadAllBytes(outbox.PathOf("e1"))).Should().Contain("\"id\": \"e1\"");
    }

    private sealed class FailingSink : IResultSink
    {
        public string Kind => OutboxEntry.PerfDb;
        public string Describe => "failing";
        public Task SendAsync(string payload, CancellationToken cancellationToken) => throw new UploadException("network", null, "down");
    }
}
