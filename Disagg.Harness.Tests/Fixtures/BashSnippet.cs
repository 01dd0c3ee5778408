using System.Diagnostics;

namespace Disagg.Harness.Tests.Fixtures;

/// <summary>Runs a piece of rendered bash locally, so a test checks what the lines do, not only how they read.</summary>
public static class BashSnippet
{
    public static (int Code, string Out, string Err) Run(string script, IReadOnlyDictionary<string, string>? env = null)
    {
        var info = new ProcessStartInfo("bash", ["-c", script]) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var (k, v) in env ?? new Dictionary<string, string>()) info.Environment[k] = v;
        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(TimeSpan.FromSeconds(30)))
        {
            process.Kill(entireProcessTree: true);
            Assert.Fail("the bash snippet did not finish within 30 s");
        }
        return (process.ExitCode, stdout.Result, stderr.Result);
    }
}
