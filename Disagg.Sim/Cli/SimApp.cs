using Disagg.Harness.Common;
using Disagg.Sim.Benchmark;
using Disagg.Sim.Common;
using Disagg.Sim.Dataset;
using Disagg.Sim.DisaggServer;
using Disagg.Sim.Worker;

namespace Disagg.Sim.Cli;

/// <summary>
/// Entry point: picks the verb, parses its flags, wires SIGTERM/SIGINT to cancellation and turns every failure into a
/// one-line message and an exit code (2 usage, 1 runtime) — never a .NET stack trace.
/// </summary>
internal static class SimApp
{
    private static readonly Dictionary<string, Func<ISimCommand>> Verbs = new(StringComparer.Ordinal)
    {
        ["worker"] = () => new WorkerCommand(),
        ["disagg-server"] = () => new DisaggServerCommand(),
        ["disaggregated"] = () => new DisaggServerCommand(),
        ["benchmark"] = () => new BenchmarkCommand(),
        ["benchmark-sa"] = () => new BenchmarkCommand(saClient: true),
        ["aiperf"] = () => new Benchmark.Aiperf.AiperfCommand(),
        ["gen-dataset"] = () => new GenDatasetCommand(),
        ["lm-eval"] = () => new LmEval.LmEvalCommand(),
        ["disaggregated_mpi_worker"] = () => new MpiWorker.MpiWorkerCommand(),
    };

    public static async Task<int> RunAsync(string[] args)
    {
        if (args.Length == 0 || args[0] is "--help" or "-h" or "help")
        {
            Console.Out.Write(TopLevelHelp());
            return args.Length == 0 ? UsageException.ExitCode : 0;
        }

        var verb = args[0];
        if (!Verbs.TryGetValue(verb, out var factory))
        {
            var hint = TextSimilarity.DidYouMean(verb, Verbs.Keys);
            return Fail($"error: unknown command '{verb}'{hint}; run with --help to list commands", UsageException.ExitCode);
        }

        var command = factory();
        try
        {
            var parsed = ArgParser.Parse(command.Spec, args[1..]);
            if (parsed.HelpRequested)
            {
                Console.Out.Write(HelpPrinter.Render(command.Spec));
                return 0;
            }

            using var shutdown = ShutdownSignal.Register(command is BenchmarkCommand or Benchmark.Aiperf.AiperfCommand ? 143 : 0);
            return await command.RunAsync(parsed, shutdown.Token).ConfigureAwait(false);
        }
        catch (UsageException ex)
        {
            return Fail($"{command.Spec.Verb}: error: {ex.Message}", UsageException.ExitCode);
        }
        catch (ConfigException ex)
        {
            return Fail($"{command.Spec.Verb}: error: {ex.Message}", ConfigException.ExitCode);
        }
        catch (PythonError ex)
        {
            ex.Print();
            return 1;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return Fail($"{command.Spec.Verb}: error: {ex.Message}", 1);
        }
    }

    private static int Fail(string message, int exitCode)
    {
        Console.Out.Flush();
        Console.Error.WriteLine(message);
        return exitCode;
    }

    private static string TopLevelHelp() =>
        """
        usage: Disagg.Sim <command> [options]

        Simulates the GPU side of a disaggregated TensorRT-LLM deployment.

        commands:
          worker         trtllm-serve lookalike (one CTX or GEN worker)
          disagg-server  trtllm-serve disaggregated lookalike (routes CTX -> GEN); alias: disaggregated
          disaggregated_mpi_worker  trtllm-serve disaggregated_mpi_worker lookalike (one process per rank of a DWDP job)
          benchmark      benchmark_serving.py lookalike; with --concurrency-list, a run_benchmark.sh drop-in
          gen-dataset    write a trtllm_custom JSONL dataset

        Run 'Disagg.Sim <command> --help' for the options of a command.

        """;
}
