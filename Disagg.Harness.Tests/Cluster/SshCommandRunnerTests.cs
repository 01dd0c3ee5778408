using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Disagg.Harness.Cluster;
using Disagg.Harness.Tests.Fixtures;

namespace Disagg.Harness.Tests.Cluster;

/// <summary>Commands over the local cluster's sshd (127.0.0.1:2222): results, quoting, timeouts and dropped links.</summary>
[RequiresCluster(Needs.Ssh)]
[Category("cluster")]
[NonParallelizable]
public sealed class SshCommandRunnerTests
{
    [Test, CancelAfter(30_000)]
    public async Task Returns_exit_code_stdout_and_stderr_with_arguments_intact(CancellationToken token)
    {
        await using var connection = SshTestCluster.Connect();
        var runner = new SshCommandRunner(connection);

        var result = await runner.RunAsync(Command.Of("bash", "-c", "printf '%s|' \"$@\"; echo oops >&2; exit 3", "bash", "a b", "it's", "$HOME", "*"), token);
        var pwd = await runner.RunAsync(Command.Of("pwd").InDirectory("/tmp"), token);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(result.ExitCode, Is.EqualTo(3), "exit code");
            Assert.That(result.StandardOutput, Is.EqualTo("a b|it's|$HOME|*|"), "arguments must reach the remote program unexpanded");
            Assert.That(result.StandardError, Is.EqualTo("oops\n"), "stderr");
            Assert.That(pwd.StandardOutput.Trim(), Is.EqualTo("/tmp"), "working directory");
        }
    }

    [Test, CancelAfter(30_000)]
    public async Task Environment_variables_arrive_verbatim_and_a_rejected_exit_code_throws(CancellationToken token)
    {
        await using var connection = SshTestCluster.Connect();
        var runner = new SshCommandRunner(connection);
        const string value = "a b 'q' \"d\" $HOME `id` ; *\nline 2";

        var printed = await runner.RunAsync(Command.Of("bash", "-c", "printf '[%s]' \"$DISAGG_SSH_ENV\"")
            .WithEnvironmentVariables(("DISAGG_SSH_ENV", value)).InDirectory("/tmp"), token);
        var error = Assert.ThrowsAsync<CommandFailedException>(() => runner.RunAsync(Command.Of("bash", "-c", "echo nope >&2; exit 4")
            .WithValidation(CommandResultValidation.ZeroExitCode, "the remote check failed"), token));

        using (Assert.EnterMultipleScope())
        {
            Assert.That(printed.StandardOutput, Is.EqualTo($"[{value}]"));
            Assert.That(error!.Result.ExitCode, Is.EqualTo(4));
            Assert.That(error.Message, Does.Contain("nope").And.Contain("Hint: the remote check failed"));
        }
    }

    [Test, CancelAfter(30_000)]
    public async Task A_hung_command_fails_at_its_timeout(CancellationToken token)
    {
        await using var connection = SshTestCluster.Connect();
        var runner = new SshCommandRunner(connection);
        var clock = Stopwatch.StartNew();

        var error = Assert.ThrowsAsync<CommandFailedException>(() => runner.RunAsync(Command.Of("sleep", "30").WithTimeout(TimeSpan.FromSeconds(1)), token));

        using (Assert.EnterMultipleScope())
        {
            Assert.That(error!.Message, Does.Contain("timed out after 1 s"));
            Assert.That(clock.Elapsed, Is.LessThan(TimeSpan.FromSeconds(10)), "the timeout must end the wait");
        }
        var after = await runner.RunAsync(Command.Of("echo", "still usable"), token);
        Assert.That(after.StandardOutput, Is.EqualTo("still usable\n"), "a timed-out command must not break the connection");
    }

    [RequiresCluster(Needs.Ssh | Needs.Slurm)]
    [Test, CancelAfter(30_000)]
    public async Task A_killed_connection_is_re_established_and_the_query_repeated(CancellationToken token)
    {
        await using var connection = SshTestCluster.Connect();
        var runner = new SshCommandRunner(connection);
        await runner.RunAsync(Command.Of("true"), token);

        var killed = SshdSessions.KillOurs(SshTestCluster.Settings().Port, SshTestCluster.ListenerPid());
        var clock = Stopwatch.StartNew();
        var result = await runner.RunAsync(Command.Of("squeue", "-h", "-o", "%i"), token);
        TestContext.Out.WriteLine($"killed sshd sessions {string.Join(',', killed)}; query answered {clock.Elapsed.TotalMilliseconds:0} ms later");

        using (Assert.EnterMultipleScope())
        {
            Assert.That(killed, Is.Not.Empty, "the sshd session serving this connection must have been found");
            Assert.That(result.ExitCode, Is.Zero, result.StandardError);
            Assert.That(connection.Reconnects, Is.EqualTo(1), "one reconnect");
            Assert.That(clock.Elapsed, Is.LessThan(TimeSpan.FromSeconds(10)), "reconnecting to a live sshd takes moments");
        }
    }

    [Test, CancelAfter(30_000)]
    public async Task A_submission_cut_off_by_a_dropped_connection_is_not_repeated(CancellationToken token)
    {
        await using var connection = SshTestCluster.Connect();
        var runner = new SshCommandRunner(connection);
        var marker = $"/tmp/disagg-ssh-once-{Guid.NewGuid():N}";
        await runner.RunAsync(Command.Of("true"), token);

        // bash is not known to be idempotent, like sbatch: after the cut, whether it ran is unknown, so it is not rerun.
        var running = runner.RunAsync(Command.Of("bash", "-c", $"echo x >> {marker}; sleep 5"), token);
        await Task.Delay(TimeSpan.FromMilliseconds(700), token);
        SshdSessions.KillOurs(SshTestCluster.Settings().Port, SshTestCluster.ListenerPid());
        var error = Assert.ThrowsAsync<CommandFailedException>(() => running);
        await Task.Delay(TimeSpan.FromSeconds(1), token);
        var lines = await runner.RunAsync(Command.Of("cat", marker), token);
        await runner.RunAsync(Command.Of("rm", "-f", marker), token);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(error!.Hint, Does.Contain("connection").And.Contain("lost"), error.Message);
            Assert.That(error.Hint, Does.Contain("unknown"), "the hint must say the effect is unknown");
            Assert.That(lines.StandardOutput, Is.EqualTo("x\n"), "the command ran exactly once");
        }
    }

    [Test, CancelAfter(30_000)]
    public async Task An_unreachable_host_fails_after_the_reconnect_budget_saying_the_connection_was_lost(CancellationToken token)
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var closedPort = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        await using var connection = SshTestCluster.Connect(SshTestCluster.Settings() with { Port = closedPort }, reconnectBudget: TimeSpan.FromSeconds(2));
        var clock = Stopwatch.StartNew();

        var error = Assert.ThrowsAsync<CommandFailedException>(() => new SshCommandRunner(connection).RunAsync(Command.Of("squeue"), token));

        using (Assert.EnterMultipleScope())
        {
            Assert.That(error!.Hint, Does.Contain("was lost").And.Contain("could not be re-established within 2 s"), error.Message);
            Assert.That(error.Hint, Does.Contain("not seen to finish or fail"));
            Assert.That(clock.Elapsed, Is.InRange(TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(10)), "bounded by the budget plus one backoff");
        }
    }
}
