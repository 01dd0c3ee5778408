namespace Disagg.Harness.Tests.Fixtures;

/// <summary>Locates fixture files and golden files; golden files are rewritten when DISAGG_UPDATE_GOLDEN=1.</summary>
public static class FixturePaths
{
    public static string Fixture(params string[] parts) => Path.Combine([AppContext.BaseDirectory, "Fixtures", .. parts]);

    public static string RepoRoot => Disagg.Harness.Execution.RunSettings.FindRepoRoot(AppContext.BaseDirectory);

    /// <summary>Golden files live in the source tree so an update shows up in git diff.</summary>
    public static string SourceFixture(params string[] parts) => Path.Combine([RepoRoot, "Disagg.Harness.Tests", "Fixtures", .. parts]);

    public static void AssertGolden(string actual, params string[] parts)
    {
        var path = SourceFixture(parts);
        if (Environment.GetEnvironmentVariable("DISAGG_UPDATE_GOLDEN") == "1" || !File.Exists(path))
        {
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            File.WriteAllText(path, actual);
            if (Environment.GetEnvironmentVariable("DISAGG_UPDATE_GOLDEN") != "1")
                Assert.Fail($"golden file {path} did not exist; it was written now. Review it and rerun.");
            return;
        }
        Assert.That(actual, Is.EqualTo(File.ReadAllText(path)), $"output differs from golden file {path}; rerun with DISAGG_UPDATE_GOLDEN=1 to accept");
    }
}
