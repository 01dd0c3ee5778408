using System.Globalization;
using Disagg.Sim.Benchmark.Client;
using Disagg.Sim.Cli;

namespace Disagg.Sim.Benchmark.Aiperf;

/// <summary>
/// <c>aiperf profile …</c>: the simulator's stand-in for aiperf, accepting exactly the flags run_benchmark_aiperf.sh
/// passes for a mooncake_trace input file (any other flag, e.g. <c>--public-dataset</c>, is a usage error: public datasets
/// need the network the compute nodes lack). Writes aiperf's exports into <c>--artifact-dir</c>.
/// </summary>
internal sealed class AiperfCommand : ISimCommand
{
    public CommandSpec Spec { get; } = new(
        "aiperf",
        "aiperf profile: streaming chat requests from a mooncake_trace file; writes profile_export_aiperf.json/.csv to --artifact-dir.",
        [
            new FlagSpec("--model", FlagArity.Single, "model name sent in requests") { Aliases = ["-m"], Metavar = "MODEL", Required = true },
            FlagSpec.Value("--tokenizer", "NAME", "tokenizer (the simulator counts words)"),
            FlagSpec.Switch("--tokenizer-trust-remote-code", "accepted"),
            new FlagSpec("--url", FlagArity.Single, "server base URL, e.g. http://host:port") { Metavar = "URL", Required = true },
            new FlagSpec("--endpoint-type", FlagArity.Single, "endpoint type") { Metavar = "TYPE", Choices = ["chat"] },
            FlagSpec.Switch("--streaming", "stream responses (required: TTFT and ITL need it)"),
            new FlagSpec("--ui", FlagArity.Single, "console UI") { Metavar = "UI", Choices = ["simple", "none", "dashboard"] },
            new FlagSpec("--input-file", FlagArity.Single, "mooncake_trace JSONL dataset") { Metavar = "FILE", Required = true },
            new FlagSpec("--custom-dataset-type", FlagArity.Single, "dataset format") { Metavar = "TYPE", Choices = ["mooncake_trace"] },
            new FlagSpec("--artifact-dir", FlagArity.Single, "where the exports are written") { Metavar = "DIR", Required = true },
            FlagSpec.Value("--concurrency", "N", "requests in flight (default 1)"),
            FlagSpec.Value("--concurrency-ramp-duration", "SECONDS", "accepted; the simulator starts all workers at once"),
            FlagSpec.Value("--benchmark-duration", "SECONDS", "no new request after this many seconds"),
            FlagSpec.Value("--benchmark-grace-period", "SECONDS", "in-flight requests are cancelled this long after the duration (default 30)"),
            FlagSpec.Value("--request-count", "N", "requests to send (default: one per trace entry)"),
            FlagSpec.Value("--workers-max", "N", "accepted"),
            FlagSpec.Value("--request-timeout-seconds", "SECONDS", "per-request timeout (default 600)"),
            new FlagSpec("--profile-export-level", FlagArity.Single, "export level") { Metavar = "LEVEL", Choices = ["summary", "records", "raw"] },
            FlagSpec.Value("--extra-inputs", "KEY:VALUE", "extra request field; ignore_eos:true is the one the simulator honours"),
            FlagSpec.Value("--record-processors", "N", "accepted"),
        ])
    {
        MaxPositionals = 1,
        PositionalName = "profile",
    };

    public async Task<int> RunAsync(ParsedArgs args, CancellationToken cancellationToken)
    {
        var options = Read(args);
        using var http = BenchmarkHttp.Create();
        try
        {
            return await new AiperfRun(http, options).RunAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            Console.Error.WriteLine("aiperf interrupted by signal");
            return 143;
        }
    }

    internal static AiperfOptions Read(ParsedArgs args)
    {
        if (args.Positionals is not ["profile"])
        {
            throw new UsageException("expected the subcommand 'profile' (aiperf profile --model ... --url ... --input-file ...)");
        }

        if (!args.Switch("--streaming"))
        {
            throw new UsageException("--streaming is required: run_benchmark_aiperf.sh always streams, and TTFT/ITL need it");
        }

        var extra = args.String("--extra-inputs");
        if (extra is not null && !extra.Contains(':', StringComparison.Ordinal))
        {
            throw new UsageException($"argument --extra-inputs: expected KEY:VALUE, got '{extra}'");
        }

        var url = args.String("--url")!;
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https"))
        {
            throw new UsageException($"argument --url: expected http://host:port, got '{url}'");
        }

        var request = args.Int("--request-count");
        return new AiperfOptions
        {
            Model = args.String("--model")!,
            Url = url,
            InputFile = args.String("--input-file")!,
            ArtifactDir = args.String("--artifact-dir")!,
            Concurrency = AtLeast(args, "--concurrency", 1, 1),
            RampDurationS = NonNegative(args, "--concurrency-ramp-duration", 0),
            BenchmarkDurationS = args.Has("--benchmark-duration") ? Positive(args, "--benchmark-duration") : double.PositiveInfinity,
            GracePeriodS = NonNegative(args, "--benchmark-grace-period", 30),
            RequestCount = request is null ? null : AtLeast(args, "--request-count", 1, 1),
            RequestTimeoutS = args.Has("--request-timeout-seconds") ? Positive(args, "--request-timeout-seconds") : 600,
            IgnoreEos = extra is "ignore_eos:true" or "ignore_eos:True",
            Ui = args.String("--ui", "dashboard"),
            CommandLine = "aiperf profile " + string.Join(' ', Environment.GetCommandLineArgs().SkipWhile(a => a != "profile").Skip(1)),
        };
    }

    private static int AtLeast(ParsedArgs args, string name, int min, int fallback)
    {
        var value = args.Int(name, fallback);
        return value >= min ? value : throw new UsageException($"argument {name}: must be >= {min}, got {value}");
    }

    private static double Positive(ParsedArgs args, string name)
    {
        var value = args.Double(name)!.Value;
        return value > 0 ? value : throw new UsageException($"argument {name}: must be > 0, got {value.ToString(CultureInfo.InvariantCulture)}");
    }

    private static double NonNegative(ParsedArgs args, string name, double fallback)
    {
        var value = args.Double(name, fallback);
        return value >= 0 ? value : throw new UsageException($"argument {name}: must be >= 0, got {value.ToString(CultureInfo.InvariantCulture)}");
    }
}
