using Disagg.Harness.Configuration;
using Disagg.Harness.Tests.Fixtures;

namespace Disagg.Harness.Tests.Configuration;

/// <summary>The smoke config as text, for tests that break one thing in a valid file.</summary>
internal static class ConfigText
{
    public static string Smoke => File.ReadAllText(FixturePaths.Fixture("configs", "smoke.yaml"));

    public static string SmokeWith(string find, string replace)
    {
        var text = Smoke;
        Assert.That(text, Does.Contain(find), "the corpus edit no longer applies to smoke.yaml");
        return text.Replace(find, replace, StringComparison.Ordinal);
    }

    /// <summary>A further edit of a config text; the text to replace must be there.</summary>
    public static string Replace(string text, string find, string replace)
    {
        Assert.That(text, Does.Contain(find), "the corpus edit no longer applies to smoke.yaml");
        return text.Replace(find, replace, StringComparison.Ordinal);
    }

    public static IReadOnlyList<string> Errors(string text, string file = "broken.yaml")
    {
        try
        {
            ConfigLoader.Parse(text, file);
            return [];
        }
        catch (ConfigException e)
        {
            return e.Errors.Select(x => x.ToString()).ToList();
        }
    }
}
