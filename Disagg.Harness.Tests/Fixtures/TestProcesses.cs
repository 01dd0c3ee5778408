using Disagg.Harness.Cluster;

namespace Disagg.Harness.Tests.Fixtures;

/// <summary>
/// The tests' child processes, run through the harness's own <see cref="Command"/> and <see cref="LocalCommandRunner"/>
/// (environment, timeout, exit-code validation), so no test builds a ProcessStartInfo of its own.
/// </summary>
internal static class TestProcesses
{
    private static readonly LocalCommandRunner Runner = new();

    public static Task<CommandResult> RunAsync(Command command, CancellationToken cancellationToken) => Runner.RunAsync(command, cancellationToken);

    /// <summary>For setup helpers and synchronous tests; give the command a timeout, as nothing else can end it.</summary>
    public static CommandResult Run(Command command) => Runner.RunAsync(command, CancellationToken.None).GetAwaiter().GetResult();

    /// <summary>
    /// run_disagg_test.sh from the repository root, as CI calls it, reusing the build of the running tests
    /// (DISAGG_SKIP_BUILD=1) instead of rebuilding the solution under them.
    /// </summary>
    public static Command RunDisaggTestScript(params string[] arguments) =>
        Command.Of("bash", [Path.Combine(FixturePaths.RepoRoot, "run_disagg_test.sh"), .. arguments])
            .InDirectory(FixturePaths.RepoRoot)
            .WithEnvironmentVariables(("DISAGG_SKIP_BUILD", "1"));
}
