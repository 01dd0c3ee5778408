using System.Globalization;
using Disagg.Sim.Cli;

namespace Disagg.Sim.LmEval;

/// <summary>The lm_eval command line the accuracy step renders, read with lm_eval's flag names.</summary>
internal sealed record LmEvalOptions(
    string Model,
    IReadOnlyList<string> Tasks,
    IReadOnlyDictionary<string, string> ModelArgs,
    bool LogSamples,
    string? OutputPath,
    int? Limit,
    bool ApplyChatTemplate)
{
    public static readonly CommandSpec Spec = new(
        "lm-eval",
        "Evaluate a served model as lm_eval's local-completions / local-chat-completions do: real requests, lm_eval's table and files.",
        [
            new FlagSpec("--model", FlagArity.Single, "API model type") { Metavar = "{local-completions,local-chat-completions}", Required = true,
                Choices = ["local-completions", "local-chat-completions"] },
            new FlagSpec("--tasks", FlagArity.Single, "comma-separated task names") { Metavar = "TASKS", Required = true },
            new FlagSpec("--model_args", FlagArity.Single, "model=...,base_url=...,num_concurrent=N,max_retries=N,max_gen_toks=N,...")
            {
                Metavar = "ARGS", Required = true,
            },
            FlagSpec.Switch("--log_samples", "write samples_<task>_<date>.jsonl next to the results"),
            FlagSpec.Value("--output_path", "DIR", "folder of results_<date>.json"),
            FlagSpec.Value("--limit", "N", "evaluate only the first N documents of each task"),
            FlagSpec.Value("--include_path", "DIR", "extra task configs (accepted; the simulator's tasks are built in)"),
            FlagSpec.Value("--num_fewshot", "N", "few-shot examples (accepted)"),
            FlagSpec.Value("--batch_size", "N", "batch size (accepted)"),
            FlagSpec.Value("--seed", "SEED", "seed (accepted)"),
            FlagSpec.Value("--gen_kwargs", "ARGS", "generation arguments (accepted)"),
            FlagSpec.Switch("--trust_remote_code", "accepted"),
            FlagSpec.Switch("--apply_chat_template", "wrap each prompt in the chat template"),
        ]);

    public static LmEvalOptions From(ParsedArgs a)
    {
        var args = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var pair in a.String("--model_args")!.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var eq = pair.IndexOf('=', StringComparison.Ordinal);
            if (eq <= 0) throw new UsageException($"argument --model_args: '{pair}' is not key=value");
            args[pair[..eq]] = pair[(eq + 1)..];
        }
        if (!args.ContainsKey("base_url")) throw new UsageException("argument --model_args: base_url=http://host:port/v1/completions is required");
        var limit = a.Int("--limit");
        if (limit is < 1) throw new UsageException($"argument --limit: must be >= 1, got {limit}");
        return new LmEvalOptions(a.String("--model")!, a.String("--tasks")!.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries),
            args, a.Switch("--log_samples"), a.String("--output_path"), limit, a.Switch("--apply_chat_template"));
    }

    public int ArgInt(string key, int fallback) =>
        ModelArgs.TryGetValue(key, out var v) && int.TryParse(v, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n > 0 ? n : fallback;
}
