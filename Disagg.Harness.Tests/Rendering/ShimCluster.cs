using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Disagg.Harness.Rendering;

namespace Disagg.Harness.Tests.Rendering;

/// <summary>
/// Runs a rendered job with real bash and no cluster: <c>srun</c>, <c>scontrol</c>, <c>sleep</c>, <c>date</c>, <c>curl</c>,
/// the servers and clients are stubs, and every simple command any bash of the job executes (the batch script, the
/// launchers, <c>bash -c</c> steps, command substitutions, subshells) is recorded through a DEBUG trap that
/// <c>BASH_ENV</c> installs in each of them, as are the command each srun step runs and every command bash cannot
/// find (both after expansion). A fake /health answers 200 so the job runs every step to the end.
/// </summary>
public sealed class ShimCluster : IAsyncDisposable
{
    private readonly TcpListener _health;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _serving;

    private ShimCluster(string root)
    {
        Root = root;
        _health = new TcpListener(IPAddress.Loopback, 0);
        _health.Start(64);
        HealthPort = ((IPEndPoint)_health.LocalEndpoint).Port;
        _serving = ServeAsync(_stop.Token);
    }

    public string Root { get; }

    /// <summary>The disagg server's port in every job: profiles use <c>port_base</c> = this - <see cref="Placement.DisaggPortOffset"/>.</summary>
    public int HealthPort { get; }

    public string StubDir => Path.Combine(Root, "bin");

    public string TraceSetup => Path.Combine(Root, "trace.sh");

    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public static ShimCluster Create()
    {
        var shim = new ShimCluster(Directory.CreateTempSubdirectory("disagg-fuzz-").FullName);
        Directory.CreateDirectory(shim.StubDir);
        // Commands a launcher execs: they stay up like servers until the job stops its steps.
        foreach (var name in new[] { "dotnet", "trtllm-llmapi-launch", "trtllm-serve", "nsys", "numactl" })
        {
            var path = Path.Combine(shim.StubDir, name);
            File.WriteAllText(path, "#!/bin/sh\n[ -z \"${FUZZ_FAIL_SERVER:-}\" ] || exit 3\nexec /bin/sleep 30\n");
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }
        File.WriteAllText(shim.TraceSetup, TraceScript);
        return shim;
    }

    /// <summary>
    /// Read by every non-interactive bash of a job (BASH_ENV): the trace, then the stubs as functions (no process
    /// per call). srun drops its options and runs the command; in a background step it execs it, so stopping the
    /// step stops the server.
    /// </summary>
    private const string TraceScript = """
        set -T
        trap 'printf "%s\0" "$BASH_COMMAND" >> "$FUZZ_TRACE/$BASHPID"' DEBUG
        date() { case "$*" in *%N*) echo 1700000000.000000000 ;; *%s*) echo 1700000000 ;; *) echo 00:00:00 ;; esac; }
        hostname() { echo fuzzhost; }
        # Folders a config names (an install's source tree) do not exist here; entering them always works.
        cd() { builtin cd "$@" 2>/dev/null; return 0; }
        sleep() { :; }
        scontrol() {
          case "$1 $2" in
            "show hostnames") printf 'node%s\n' 1 2 3 4 5 6 7 8 ;;
            "show node") echo "NodeName=$3 NodeAddr=127.0.0.1 State=IDLE" ;;
          esac
        }
        # The trace shows commands before expansion; what srun runs and what bash cannot find are recorded expanded.
        command_not_found_handle() { printf '%s\0' "(not found) $1" >> "$FUZZ_TRACE/$BASHPID"; return 127; }
        srun() {
          while [ "$#" -gt 0 ]; do
            case "$1" in -N|-n|-w|-c|-p|-A|-t) shift 2 ;; -*) shift ;; *) break ;; esac
          done
          printf '%s\0' "(srun runs) ${1:-nothing}" >> "$FUZZ_TRACE/$BASHPID"
          if [ "$BASHPID" != "$$" ]; then exec "$@"; else "$@"; fi
        }
        # A benchmark client: writes the result file it is asked for (the SA driver reads its counts back).
        client_stub() {
          local dir="" file=""
          while [ "$#" -gt 0 ]; do case "$1" in --result-dir) dir=$2; shift ;; --result-filename) file=$2; shift ;; esac; shift; done
          if [ -n "$dir" ] && [ -n "$file" ]; then printf '{"num_prompts": 1, "completed": 1}\n' > "$dir/$file"; fi
          [ -z "${FUZZ_FAIL:-}" ]
        }
        dotnet() { client_stub "$@"; }
        python() { client_stub "$@"; }
        python3() { :; }
        pip() { :; }
        lm_eval() { :; }
        curl() { :; }
        wget() { :; }

        """;

    /// <summary>What one job did: the commands it executed, how it ended, and files a payload would have created.</summary>
    public sealed record Run(int ExitCode, IReadOnlyList<string> Commands, IReadOnlyList<string> Markers, string Output);

    /// <summary>How a job's stubs behave: all well, the benchmark client fails, or every server exits at once.</summary>
    public enum Outcome { Success, ClientFails, ServersExit }

    /// <summary>
    /// Writes <paramref name="plan"/> into <paramref name="workspace"/> (the workspace it was rendered for) and runs job.sbatch.
    /// The failing outcomes make the job take its failure paths (a failed step, a server that died; packaging).
    /// </summary>
    public async Task<Run> RunAsync(JobPlan plan, string workspace, CancellationToken cancellationToken, Outcome outcome = Outcome.Success)
    {
        if (Directory.Exists(workspace)) Directory.Delete(workspace, recursive: true);
        Directory.CreateDirectory(workspace);
        foreach (var file in plan.Files) await File.WriteAllTextAsync(Path.Combine(workspace, file.Name), file.Content, cancellationToken);
        // One trace file per process (BASHPID): concurrent steps never interleave their records.
        var trace = workspace + ".trace";
        if (Directory.Exists(trace)) Directory.Delete(trace, recursive: true);
        Directory.CreateDirectory(trace);
        var start = new ProcessStartInfo("setsid", ["bash", Path.Combine(workspace, JobFiles.BatchScript)])
        {
            WorkingDirectory = workspace,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.Environment.Clear();
        start.Environment["PATH"] = $"{StubDir}:/usr/bin:/bin";
        start.Environment["BASH_ENV"] = TraceSetup;
        start.Environment["FUZZ_TRACE"] = trace;
        start.Environment["HOME"] = workspace;
        start.Environment["TMPDIR"] = workspace;
        start.Environment["LC_ALL"] = "C.UTF-8";
        start.Environment["SLURM_JOB_ID"] = "4242";
        start.Environment["SLURM_JOB_NAME"] = "fuzz";
        start.Environment["SLURM_JOB_NODELIST"] = "node[1-8]";
        start.Environment["SLURM_NNODES"] = "8";
        if (outcome == Outcome.ClientFails) start.Environment["FUZZ_FAIL"] = "1";
        if (outcome == Outcome.ServersExit) start.Environment["FUZZ_FAIL_SERVER"] = "1";
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var stderr = process.StandardError.ReadToEndAsync(cancellationToken);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(60));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            // Reported as a failed run below; the group is killed either way.
        }
        finally
        {
            // setsid made the job its own process group: whatever it left running goes with it.
            using var kill = Process.Start(new ProcessStartInfo("kill", ["-KILL", "--", $"-{process.Id}"]) { RedirectStandardError = true })!;
            await kill.WaitForExitAsync(CancellationToken.None);
        }
        var exit = process.HasExited ? process.ExitCode : -1;
        var output = await stdout + await stderr;
        var commands = new List<string>();
        foreach (var file in Directory.GetFiles(trace))
            commands.AddRange((await File.ReadAllTextAsync(file, cancellationToken)).Split('\0', StringSplitOptions.RemoveEmptyEntries));
        var markers = Directory.EnumerateFileSystemEntries(workspace, "*pwned*", SearchOption.AllDirectories).ToList();
        return new Run(exit, commands, markers, output);
    }

    /// <summary><c>bash -n</c> of one script: null when it parses, else bash's complaint.</summary>
    public async Task<string?> SyntaxErrorAsync(string script, CancellationToken cancellationToken)
    {
        var path = Path.Combine(Root, $"check-{Guid.NewGuid():N}.sh");
        await File.WriteAllTextAsync(path, script, cancellationToken);
        try
        {
            var start = new ProcessStartInfo("bash", ["-n", path]) { RedirectStandardError = true, UseShellExecute = false };
            start.Environment.Remove("BASH_ENV");
            using var process = Process.Start(start)!;
            var error = await process.StandardError.ReadToEndAsync(cancellationToken);
            await process.WaitForExitAsync(cancellationToken);
            return process.ExitCode == 0 && error.Length == 0 ? null : $"bash -n exit {process.ExitCode}: {error}";
        }
        finally
        {
            File.Delete(path);
        }
    }

    private async Task ServeAsync(CancellationToken cancellationToken)
    {
        var reply = Encoding.ASCII.GetBytes("HTTP/1.0 200 OK\r\nContent-Length: 0\r\n\r\n");
        while (!cancellationToken.IsCancellationRequested)
        {
            Socket client;
            try
            {
                client = await _health.AcceptSocketAsync(cancellationToken);
            }
            catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException or SocketException)
            {
                return;
            }
            using (client)
            {
                try
                {
                    await client.SendAsync(reply, SocketFlags.None, cancellationToken);
                    client.Shutdown(SocketShutdown.Both);
                }
                catch (SocketException)
                {
                    // The job gave up on this probe; the next one gets its own connection.
                }
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _health.Stop();
        await _serving;
        _stop.Dispose();
        Directory.Delete(Root, recursive: true);
    }
}
