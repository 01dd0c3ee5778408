using Disagg.Harness.Catalog;
using Disagg.Harness.Tests.Fixtures;

namespace Disagg.Harness.Tests.Catalog;

/// <summary><c>validate</c> warns about an undated waiver without failing; <c>list</c> runs a test whose waiver expired and says so.</summary>
public sealed class WaiverCommandsTests
{
    private static string ConfigRoot => Path.Combine(FixturePaths.RepoRoot, "configs");

    private static string SomeTestId => TestCatalog.Discover(ConfigRoot).First().TestId;

    private static string ListFile(string text)
    {
        var path = Path.Combine(Directory.CreateTempSubdirectory("disagg-waivers-").FullName, "list.txt");
        File.WriteAllText(path, text);
        return path;
    }

    [Test]
    public void Validate_warns_about_an_undated_waiver_and_keeps_exit_code_0()
    {
        var list = ListFile($"{SomeTestId} SKIP (https://bugs/7)\n");
        var output = new StringWriter();
        var code = Commands.Validate([list], output, new StringWriter(), configRoot: ConfigRoot);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(code, Is.Zero);
            Assert.That(output.ToString(), Does.Contain($"{list}:1:1: warning: waiver of '{SomeTestId}' has no expiry date"));
            Assert.That(output.ToString(), Does.Contain("1 file(s) checked: 0 error(s), 1 warning(s)"));
        }
    }

    [Test]
    public void List_runs_a_test_whose_waiver_expired_and_names_the_stale_waiver()
    {
        var list = ListFile($"{SomeTestId} SKIP (https://bugs/7) until 2020-01-31\n");
        var output = new StringWriter();
        var code = Commands.List(list, ConfigRoot, null, [], null, null, output, new StringWriter());
        using (Assert.EnterMultipleScope())
        {
            Assert.That(code, Is.Zero);
            Assert.That(output.ToString(), Does.StartWith($"RUN   {SomeTestId}  ["));
            Assert.That(output.ToString(), Does.Contain($"stale waiver: SKIP (https://bugs/7) until 2020-01-31 ({list}:1) expired; the test runs again"));
        }
    }
}
