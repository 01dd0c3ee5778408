using System.Diagnostics;
using Disagg.Harness.Cluster;
using Disagg.Harness.Configuration;
using Disagg.Harness.Rendering;
using Disagg.Harness.Tests.Configuration;
using Disagg.Harness.Tests.Fixtures;
using FluentAssertions;

namespace Disagg.Harness.Tests.Rendering;

/// <summary>
/// Placeholders are filled in one pass: a value that itself holds "{output}" is never scanned again. Filled one
/// after another, the quoted output path landed inside the quoted model arguments and turned them into bare words.
/// </summary>
public sealed class CommandTemplateTests
{
    [Test]
    public void A_value_is_never_scanned_for_placeholders()
    {
        var filled = CommandTemplate.Fill("run {a} {b} {unknown}", new Dictionary<string, string> { ["a"] = "'{b}'", ["b"] = "B" });
        filled.Should().Be("run '{b}' B {unknown}");
    }

    [Test]
    public async Task An_accuracy_step_passes_hostile_model_arguments_as_one_word()
    {
        var profile = ClusterProfileLoader.Load(Path.Combine(FixturePaths.RepoRoot, "clusters", "example-real.yaml"), "/repo");
        // The workspace has a space, so its quoted path, put inside the quoted arguments, would split them.
        var hostile = "{output}$(touch pwned)`id`;x {task}";
        var config = ConfigLoader.Parse(ConfigText.SmokeWith("accuracy:\n  enable_accuracy_test: false",
            $"accuracy:\n  enable_accuracy_test: true\n  tasks:\n    gsm8k:\n      model_args_extra: '{hostile}'"), "c.yaml");
        var script = JobRenderer.Render(config, profile, new RenderContext("t", "/w s", "c.yaml"))[JobFiles.BatchScript].Content;
        var line = script.Split('\n').Single(l => l.StartsWith("run_step ", StringComparison.Ordinal) && l.Contains("accuracy", StringComparison.Ordinal));

        // bash parses the line with run_step printing its words, then runs the step's command with lm_eval printing its own.
        var words = await WordsAsync(["-c", "run_step() { printf '%s\\n' \"$@\"; }; DISAGG_HOST=h; DISAGG_PORT=p; NODES=(n); " + line]);
        words[..2].Should().Equal("accuracy_gsm8k", "accuracy_eval_gsm8k.log");
        var command = words[Array.IndexOf(words, "-c") + 1];
        var dir = Directory.CreateTempSubdirectory("disagg-acc-").FullName;
        try
        {
            var args = await WordsAsync(["-c", "cd " + dir + "; lm_eval() { printf '%s\\n' \"$@\"; }; " + command, "h", "p"]);
            args.Should().Equal("--model", "local-completions", "--tasks", "gsm8k",
                "--model_args", "model=sim-tiny,base_url=http://h:p/v1/completions," + hostile,
                "--log_samples", "--output_path", "/w s/accuracy_eval_gsm8k");
            Directory.GetFiles(dir).Should().BeEmpty("nothing in the model arguments may run");
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    private static async Task<string[]> WordsAsync(IEnumerable<string> args)
    {
        using var bash = Process.Start(new ProcessStartInfo("bash", args) { RedirectStandardOutput = true })!;
        var output = await bash.StandardOutput.ReadToEndAsync();
        await bash.WaitForExitAsync();
        return output.TrimEnd('\n').Split('\n');
    }
}
