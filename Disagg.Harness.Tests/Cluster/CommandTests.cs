using Disagg.Harness.Cluster;

namespace Disagg.Harness.Tests.Cluster;

/// <summary>
/// <see cref="Command"/>'s environment and validation through <see cref="LocalCommandRunner"/>, and the text
/// <see cref="SshCommandRunner"/> sends, run here by bash to prove the quoting.
/// </summary>
public sealed class CommandTests
{
    private const string Hostile = "a b 'q' \"d\" $HOME `id` \\ ; | & * ~ é\nsecond line";

    private static readonly LocalCommandRunner Runner = new();

    private static Command PrintVariables(params string[] names) =>
        Command.Of("bash", ["-c", string.Join("; ", names.Select(n => $"printf '%s=[%s]\\n' {n} \"${{{n}-unset}}\"").Append("pwd"))]);

    [TestCase("1ABC")]
    [TestCase("A-B")]
    [TestCase("A B")]
    [TestCase("")]
    [TestCase("A=B")]
    [TestCase("Ä")]
    public void Names_that_are_not_posix_names_are_rejected_naming_the_variable(string name)
    {
        var error = Assert.Throws<ArgumentException>(() => Command.Of("true").WithEnvironmentVariables((name, "x")));
        Assert.That(error!.Message, Does.Contain($"'{name}' is not an environment variable name for true"));
    }

    [Test]
    public void A_value_with_a_nul_character_is_rejected() =>
        Assert.That(() => Command.Of("true").WithEnvironmentVariables(("A", "x\0y")), Throws.ArgumentException.With.Message.Contains("NUL"));

    [Test]
    public void Variables_accumulate_and_a_later_value_wins()
    {
        var command = Command.Of("true").WithEnvironmentVariables(("A", "1"), ("B", "2")).WithEnvironmentVariables(("A", "3"), ("_c9", null));
        Assert.That(command.EnvironmentVariables, Is.EquivalentTo(new Dictionary<string, string?> { ["A"] = "3", ["B"] = "2", ["_c9"] = null }));
    }

    [Test, CancelAfter(20_000)]
    public async Task Local_values_arrive_verbatim_and_a_null_value_unsets_an_inherited_variable(CancellationToken token)
    {
        var command = PrintVariables("DISAGG_CMD_TEST", "EMPTY", "HOME")
            .WithEnvironmentVariables(("DISAGG_CMD_TEST", Hostile), ("EMPTY", ""), ("HOME", null)).InDirectory("/");

        var result = await Runner.RunAsync(command, token);

        Assert.That(result.StandardOutput, Is.EqualTo($"DISAGG_CMD_TEST=[{Hostile}]\nEMPTY=[]\nHOME=[unset]\n/\n"));
    }

    [Test, CancelAfter(20_000)]
    public async Task The_ssh_text_exports_values_verbatim_unsets_and_changes_directory(CancellationToken token)
    {
        var command = PrintVariables("DISAGG_CMD_TEST", "EMPTY", "HOME")
            .WithEnvironmentVariables(("DISAGG_CMD_TEST", Hostile), ("EMPTY", ""), ("HOME", null)).InDirectory("/tmp");

        var text = SshCommandRunner.RemoteText(command);
        var result = await Runner.RunAsync(Command.Of("bash", "-c", text), token);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(text, Does.StartWith("export DISAGG_CMD_TEST='a b '\\''q'\\'' ").And.Contain(" && unset HOME && cd /tmp && bash -c "));
            Assert.That(result.StandardOutput, Is.EqualTo($"DISAGG_CMD_TEST=[{Hostile}]\nEMPTY=[]\nHOME=[unset]\n/tmp\n"), text);
        }
    }

    [Test]
    public void Without_variables_or_a_directory_the_ssh_text_is_the_command_line() =>
        Assert.That(SshCommandRunner.RemoteText(Command.Of("squeue", "-o", "%i|%k")), Is.EqualTo("squeue -o '%i|%k'"));

    [Test, CancelAfter(20_000)]
    public async Task Without_validation_a_non_zero_exit_is_returned(CancellationToken token)
    {
        var result = await Runner.RunAsync(Command.Of("bash", "-c", "echo bad >&2; exit 3"), token);
        Assert.That((result.ExitCode, result.StandardError), Is.EqualTo((3, "bad\n")));
    }

    [Test, CancelAfter(20_000)]
    public async Task Zero_exit_code_validation_throws_with_the_command_exit_code_stderr_and_hint(CancellationToken token)
    {
        var command = Command.Of("bash", "-c", "echo first >&2; echo last >&2; exit 3")
            .WithValidation(CommandResultValidation.ZeroExitCode, "check the frobnicator");

        var error = Assert.ThrowsAsync<CommandFailedException>(() => Runner.RunAsync(command, token));
        var passed = await Runner.RunAsync(Command.Of("true").WithValidation(CommandResultValidation.ZeroExitCode), token);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(error!.Result.ExitCode, Is.EqualTo(3));
            Assert.That(error.Message, Does.Contain("exit code 3").And.Contain("bash -c").And.Contain("  first").And.Contain("  last"));
            Assert.That(error.Hint, Is.EqualTo("check the frobnicator"));
            Assert.That(error.Message, Does.EndWith("Hint: check the frobnicator"));
            Assert.That(passed.ExitCode, Is.Zero);
        }
    }

    [Test]
    public void Messages_name_the_command_but_never_its_environment()
    {
        var command = Command.Of("psql", "-c", "select 1").WithEnvironmentVariables(("PGPASSWORD", "s3cret"));
        var error = new CommandFailedException(new CommandResult(command, 2, "", "no", TimeSpan.Zero), "");
        Assert.That(new[] { command.ToString(), error.Message }, Has.None.Contains("s3cret"));
    }
}
