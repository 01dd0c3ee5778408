using Disagg.Sim.Cli;

namespace Disagg.Sim.Worker;

/// <summary>Command line of the <c>worker</c> verb (a trtllm-serve lookalike).</summary>
internal sealed record WorkerOptions(string Role, string Host, int Port, string ConfigPath, string Model)
{
    public static readonly CommandSpec Spec = new(
        "worker",
        "Serve one simulated TensorRT-LLM worker (trtllm-serve lookalike): OpenAI completions API, /health, /version, /v1/models, /metrics.",
        [
            new FlagSpec("--role", FlagArity.Single, "context (prefill) or generation (decode) server")
            {
                Metavar = "{ctx,gen}", Required = true, Choices = ["ctx", "gen"],
            },
            FlagSpec.Value("--host", "HOST", "address to listen on (default: localhost)"),
            new FlagSpec("--port", FlagArity.Single, "port to listen on") { Metavar = "PORT", Required = true },
            new FlagSpec("--config", FlagArity.Single, "TensorRT-LLM llm-api YAML (max_batch_size, max_num_tokens, max_seq_len, ...)")
            {
                Metavar = "YAML", Required = true, Aliases = ["--extra_llm_api_options"],
            },
            FlagSpec.Value("--model", "NAME", "model name reported by the API (default: the positional MODEL, else 'model')"),
        ])
    {
        MaxPositionals = 1,
        PositionalName = "MODEL",
    };

    public bool IsContext => Role == "ctx";

    public static WorkerOptions From(ParsedArgs args)
    {
        var port = args.Int("--port")!.Value;
        if (port is < 1 or > 65535)
        {
            throw new UsageException($"argument --port: {port} is not a valid port (1-65535)");
        }

        var model = args.String("--model") ?? args.Positionals.FirstOrDefault() ?? "model";
        return new WorkerOptions(args.String("--role")!, args.String("--host", "localhost"), port, args.String("--config")!, model);
    }
}
