using Disagg.Sim.Benchmark.Client;
using Disagg.Sim.Cli;

namespace Disagg.Sim.Benchmark;

/// <summary>
/// <c>benchmark</c>: one benchmark_serving run, or with <c>--concurrency-list</c> the whole run_benchmark.sh loop;
/// <c>benchmark-sa</c>: one run of the SA client.
/// Failed requests do not change the exit code (as with the real client); bad arguments and an unreachable server do.
/// </summary>
internal sealed class BenchmarkCommand(bool saClient = false) : ISimCommand
{
    public CommandSpec Spec => saClient ? BenchmarkCli.SaSpec : BenchmarkCli.Spec;

    public async Task<int> RunAsync(ParsedArgs args, CancellationToken cancellationToken)
    {
        var options = saClient ? BenchmarkCli.ReadSaOptions(args) : BenchmarkCli.ReadOptions(args);
        var loop = saClient ? null : BenchmarkCli.ReadLoop(args);
        using var http = BenchmarkHttp.Create();
        try
        {
            return loop is null
                ? await new BenchmarkRun(http, options).RunAsync(cancellationToken).ConfigureAwait(false)
                : await new LoopRunner(http, options, loop).RunAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            Console.Error.WriteLine();
            Console.Error.WriteLine("Benchmark interrupted by signal");
            return 143;
        }
    }
}
