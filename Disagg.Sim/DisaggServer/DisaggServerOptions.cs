using Disagg.Sim.Cli;

namespace Disagg.Sim.DisaggServer;

/// <summary>Command line of <c>disagg-server</c> (a <c>trtllm-serve disaggregated</c> lookalike).</summary>
internal sealed record DisaggServerOptions(string ConfigPath, TimeSpan StartTimeout, TimeSpan RequestTimeout, string LogLevel)
{
    public static readonly CommandSpec Spec = new(
        "disagg-server",
        "Serve the disaggregated front door (trtllm-serve disaggregated lookalike): routes each request to a context server, then a generation server.",
        [
            new FlagSpec("--config_file", FlagArity.Single, "disagg server YAML (hostname, port, context_servers, generation_servers)")
            {
                Metavar = "YAML", Required = true, Aliases = ["-c", "--config"],
            },
            new FlagSpec("--server_start_timeout", FlagArity.Single, "seconds to wait for all workers to be healthy (default: 180)")
            {
                Metavar = "SECONDS", Aliases = ["-t"],
            },
            new FlagSpec("--request_timeout", FlagArity.Single, "per-request timeout in seconds (default: 180)")
            {
                Metavar = "SECONDS", Aliases = ["-r"],
            },
            new FlagSpec("--log_level", FlagArity.Single, "log level (default: info)")
            {
                Metavar = "LEVEL", Aliases = ["-l"], Choices = ["trace", "debug", "info", "warning", "error", "critical"],
            },
            new FlagSpec("--metadata_server_config_file", FlagArity.Single, "accepted for compatibility; ignored") { Metavar = "YAML", Aliases = ["-m"] },
            FlagSpec.Value("--metrics-log-interval", "SECONDS", "accepted for compatibility; ignored"),
        ]);

    public static DisaggServerOptions From(ParsedArgs args)
    {
        var start = args.Int("--server_start_timeout", 180);
        var request = args.Int("--request_timeout", 180);
        if (start <= 0 || request <= 0)
        {
            throw new UsageException("timeouts (-t, -r) must be positive numbers of seconds");
        }

        return new DisaggServerOptions(args.String("--config_file")!, TimeSpan.FromSeconds(start), TimeSpan.FromSeconds(request),
            args.String("--log_level", "info"));
    }
}
