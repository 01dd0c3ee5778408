using Disagg.Harness.Cluster;
using Disagg.Harness.Configuration;
using Disagg.Harness.Rendering;
using Disagg.Harness.Tests.Fixtures;
using FluentAssertions;

namespace Disagg.Harness.Tests.Cluster;

/// <summary>
/// The profile audit of issue 15: names that the renderer writes unquoted (job_env keys, mpi, partition, account) are
/// checked, command templates are one line with config-filled placeholders outside quotes, and {repo} / ${NAME}
/// expansions in commands stay one shell word.
/// </summary>
public sealed class ClusterProfileLoaderTests
{
    private static string Local => File.ReadAllText(Path.Combine(FixturePaths.RepoRoot, "clusters", "local.yaml"));

    private static IReadOnlyList<string> Errors(string text)
    {
        var path = Path.Combine(Path.GetTempPath(), $"disagg-profile-{Guid.NewGuid():N}.yaml");
        File.WriteAllText(path, text);
        try
        {
            ClusterProfileLoader.Load(path, "/repo");
            return [];
        }
        catch (ConfigException e)
        {
            return [.. e.Errors.Select(x => x.ToString()[(path.Length + 1)..])];
        }
        finally
        {
            File.Delete(path);
        }
    }

    private static string Edit(string find, string replace)
    {
        Assert.That(Local, Does.Contain(find));
        return Local.Replace(find, replace, StringComparison.Ordinal);
    }

    [TestCase("  SIM_LOAD_MS: \"1500\"", "  \"X; touch pwned; Y\": \"1\"",
        "{line}:3: job_env.X; touch pwned; Y: 'X; touch pwned; Y' is not a valid environment variable name: " +
        "use letters, digits and _, not starting with a digit ([A-Za-z_][A-Za-z0-9_]*)")]
    [TestCase("mpi: none ", "mpi: \"none --wrap=id\" ",
        "6:6: mpi: 'none --wrap=id' is not a valid srun --mpi type: use lower-case letters, digits and _ (pmix, pmi2, none)")]
    [TestCase("partition: debug", "partition: \"debug$(id)\"",
        "5:12: partition: 'debug$(id)' is not a valid SLURM partition or account name: use letters, digits and _ . - (commas between partitions)")]
    [TestCase("port_base: per_job ", "port_base: 65535 ",
        "8:12: port_base: expected a port from 1 to 60000 or 'per_job', got '65535'")]
    [TestCase("  benchmark_client: dotnet", "  benchmark_client: \"x\\ny\"\n  b2: dotnet",
        "14:21: commands.benchmark_client: must be one line (no line breaks or tabs): it is put into the job's scripts as one command")]
    [TestCase("worker --role {role}", "worker --role {role} --model '{model_path}'",
        "12:11: commands.worker: has {model_path} inside quotes; write it unquoted (the renderer quotes the value it puts there)")]
    public void A_bad_profile_is_refused_at_its_line(string find, string replace, string expected)
    {
        var errors = Errors(Edit(find, replace));
        // {line}: the line the edit lands on, so adding a command to the profile above job_env does not move the expectation.
        var line = Local[..Local.IndexOf(find, StringComparison.Ordinal)].Count(c => c == '\n') + 1;
        expected = expected.Replace("{line}", line.ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal);
        errors.Where(e => !e.Contains("unknown key", StringComparison.Ordinal)).Should().Equal(expected);
    }

    [Test]
    public void Safe_placeholders_may_stand_inside_quotes() =>
        Errors(Edit("worker --role {role}", "worker --role '{role}_{index}'")).Should().BeEmpty();

    [Test]
    public void A_repository_path_with_a_space_or_dollar_stays_one_word_in_commands()
    {
        var path = Path.Combine(Path.GetTempPath(), $"disagg-profile-{Guid.NewGuid():N}.yaml");
        File.WriteAllText(path, Local + "  REPO_COPY: \"{repo}\"\n");
        try
        {
            var profile = ClusterProfileLoader.Load(path, "/home/a b/$(id)");
            profile.Commands.Worker.Should().StartWith("dotnet '/home/a b/$(id)'/Disagg.Sim/bin/Debug/net10.0/Disagg.Sim.dll worker");
            profile.JobEnv["REPO_COPY"].Should().Be("/home/a b/$(id)", "job_env values are quoted by the renderer, not here");
            ClusterProfileLoader.Load(path, "/repo").Commands.Worker.Should().StartWith("dotnet /repo/Disagg.Sim", "an ordinary path is unchanged");
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Test]
    public void The_checked_in_profiles_load()
    {
        foreach (var file in Directory.GetFiles(Path.Combine(FixturePaths.RepoRoot, "clusters"), "*.yaml"))
            Assert.DoesNotThrow(() => ClusterProfileLoader.Load(file, FixturePaths.RepoRoot), file);
    }

    [Test]
    public void A_rendered_worker_launcher_keeps_a_hostile_repository_path_as_one_word()
    {
        var path = Path.Combine(Path.GetTempPath(), $"disagg-profile-{Guid.NewGuid():N}.yaml");
        File.WriteAllText(path, Local);
        try
        {
            var profile = ClusterProfileLoader.Load(path, "/tmp/x; touch pwned");
            var config = ConfigLoader.Load(FixturePaths.Fixture("configs", "smoke.yaml"));
            var plan = JobRenderer.Render(config, profile, new RenderContext("t", "/w", "c.yaml"));
            plan["start_ctx_server_0.sh"].Content.Should().Contain("exec dotnet '/tmp/x; touch pwned'/Disagg.Sim/bin/Debug/net10.0/Disagg.Sim.dll worker");
        }
        finally
        {
            File.Delete(path);
        }
    }
}
