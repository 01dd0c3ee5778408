namespace Disagg.Sim.Tests.Support;

/// <summary>Reads a file from <c>Fixtures/</c>, dropping the <c>#</c> header lines that record its origin.</summary>
internal static class Fixture
{
    public static string ReadWithoutComments(string name)
    {
        var path = Path.Combine(AppContext.BaseDirectory, "Fixtures", name);
        var lines = File.ReadAllLines(path).Where(l => !l.StartsWith('#'));
        return string.Join('\n', lines) + "\n";
    }
}
