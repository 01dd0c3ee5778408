using Disagg.Harness.Cluster;
using Disagg.Harness.Common;
using Disagg.Harness.Configuration;
using Disagg.Harness.Rendering;

namespace Disagg.Harness.Cli;

/// <summary>
/// <c>disagg render &lt;config&gt; [--profile FILE|local|real] [--out DIR] [--test-id ID] [--run-id ID]</c>: renders the
/// job a test would submit into a folder, without submitting it, and prints the sbatch script path and the files.
/// The same rendering as a run (environment overrides included), so <c>sbatch &lt;DIR&gt;/job.sbatch</c> runs it by hand.
/// </summary>
public static class RenderCommand
{
    public sealed record Options(string Config, string? Profile = null, string? Out = null, string? TestId = null, string? RunId = null);

    public static int Run(Options options, string repoRoot, Func<string, string?> environment, TextWriter output, TextWriter error)
    {
        if (!File.Exists(options.Config))
        {
            error.WriteLine($"render: config '{options.Config}' not found");
            return ExitCodes.BadInput;
        }
        var profileName = options.Profile ?? (environment("DISAGG_CLUSTER_PROFILE") is { Length: > 0 } p ? p : "local");
        var profilePath = ClusterProfiles.Resolve(profileName, repoRoot, out var profileError);
        if (profilePath is null)
        {
            error.WriteLine("render: " + profileError);
            return ExitCodes.BadInput;
        }
        var testId = options.TestId ?? TestIdOf(options.Config);
        if (!FilterSafeId.IsMatch(testId))
        {
            var fix = options.TestId is null ? "; rename the config or pass --test-id" : "";
            error.WriteLine($"render: test id '{Names.Show(testId)}' may only use letters, digits and _ . -{fix}");
            return ExitCodes.BadInput;
        }
        var dir = Path.GetFullPath(options.Out ?? Path.Combine("results", "render", testId));
        if (File.Exists(dir))
        {
            error.WriteLine($"render: --out '{dir}' is a file; give a folder (it is created if missing)");
            return ExitCodes.BadInput;
        }
        // The comment a run would write for the same DISAGG_RUN_ID, so cancel finds a hand-submitted job too.
        var runId = "";
        if ((options.RunId ?? environment(RunIds.Variable)) is { Length: > 0 } rawRunId)
        {
            try
            {
                runId = RunIds.Sanitize(rawRunId);
            }
            catch (ArgumentException e)
            {
                error.WriteLine("render: " + e.Message);
                return ExitCodes.BadInput;
            }
        }
        JobPlan plan;
        ClusterProfile profile;
        try
        {
            profile = ClusterProfileLoader.Load(profilePath, repoRoot);
            var config = ConfigLoader.Load(options.Config);
            var overridden = EnvironmentOverrides.Apply(config, environment);
            foreach (var line in overridden.Log) output.WriteLine("environment override " + line);
            config = overridden.Config;
            if (PlaceholderCheck.Unresolved(config) is { Count: > 0 } unresolved) throw new ConfigException(unresolved);
            plan = JobRenderer.Render(config, profile, new RenderContext(testId, dir, config.SourceFile, runId));
        }
        catch (ConfigException e)
        {
            foreach (var problem in e.Errors) error.WriteLine(problem.ToString());
            error.WriteLine("render: nothing was written");
            return ExitCodes.BadInput;
        }
        IReadOnlyList<string> written;
        try
        {
            written = WriteJob(plan, dir);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            error.WriteLine($"render: cannot write the job into '{dir}': {e.Message}");
            return ExitCodes.BadInput;
        }
        output.WriteLine($"rendered {testId} for cluster profile {profile.Name} ({plan.Placement.TotalNodes} node(s), {plan.Files.Count} files) into {dir}");
        output.WriteLine($"sbatch script: {Path.Combine(dir, JobFiles.BatchScript)}");
        foreach (var file in written) output.WriteLine("  " + file);
        output.WriteLine($"nothing was submitted; submit by hand with: sbatch {BashQuote.Quote(Path.Combine(dir, JobFiles.BatchScript))}");
        return ExitCodes.Ok;
    }

    /// <summary>Writes the rendered files (scripts executable) into <paramref name="dir"/>; returns their paths in plan order.</summary>
    public static IReadOnlyList<string> WriteJob(JobPlan plan, string dir)
    {
        Directory.CreateDirectory(dir);
        var paths = new List<string>();
        foreach (var file in plan.Files)
        {
            var path = Path.Combine(dir, file.Name);
            File.WriteAllText(path, file.Content);
            if (file.Executable && !OperatingSystem.IsWindows())
                File.SetUnixFileMode(path, File.GetUnixFileMode(path) | UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute);
            paths.Add(path);
        }
        return paths;
    }

    /// <summary><c>{type}_{category}_{stem}</c> for configs/&lt;type&gt;/&lt;category&gt;/&lt;stem&gt;.yaml, else the file's stem.</summary>
    public static string TestIdOf(string configPath)
    {
        var full = Path.GetFullPath(configPath);
        var stem = Path.GetFileNameWithoutExtension(full);
        var category = Path.GetDirectoryName(full);
        var type = category is null ? null : Path.GetDirectoryName(category);
        var root = type is null ? null : Path.GetDirectoryName(type);
        return root is not null && Path.GetFileName(root) == "configs"
            ? $"{Path.GetFileName(type)}_{Path.GetFileName(category)}_{stem}"
            : stem;
    }
}
