using System.Text;
using Disagg.Sim.Cli;
using Disagg.Sim.Common;

namespace Disagg.Sim.Dataset;

/// <summary>
/// <c>gen-dataset</c>: writes a trtllm_custom JSONL dataset of <c>--num</c> prompts of ISL words and max_tokens OSL, or with
/// <c>--format mooncake_trace</c> the trace aiperf reads (<see cref="MooncakeTraceLine"/>).
/// </summary>
internal sealed class GenDatasetCommand : ISimCommand
{
    public CommandSpec Spec { get; } = new(
        "gen-dataset",
        "Write a trtllm_custom JSONL dataset: {\"input\": {\"messages\": [system, user], \"max_tokens\": OSL}} per line.",
        [
            new FlagSpec("--output", FlagArity.Single, "file to write") { Metavar = "FILE", Required = true },
            new FlagSpec("--num", FlagArity.Single, "number of lines") { Metavar = "N", Required = true },
            new FlagSpec("--input-len", FlagArity.Single, "prompt length in tokens (words)") { Metavar = "ISL", Required = true },
            new FlagSpec("--output-len", FlagArity.Single, "max_tokens of each request") { Metavar = "OSL", Required = true },
            FlagSpec.Value("--seed", "SEED", "random seed (default: 0)"),
            new FlagSpec("--format", FlagArity.Single, "trtllm_custom (default) or mooncake_trace (aiperf's --custom-dataset-type)")
            {
                Metavar = "FORMAT",
                Choices = ["trtllm_custom", "mooncake_trace"],
            },
        ]);

    public async Task<int> RunAsync(ParsedArgs args, CancellationToken cancellationToken)
    {
        var path = args.String("--output")!;
        var count = Positive(args, "--num");
        var inputLen = Positive(args, "--input-len");
        var outputLen = Positive(args, "--output-len");
        var random = new Random(args.Int("--seed", 0));
        var directory = Path.GetDirectoryName(Path.GetFullPath(path));
        if (directory is not null)
        {
            Directory.CreateDirectory(directory);
        }

        await using var writer = new StreamWriter(path, append: false, new UTF8Encoding(false));
        if (args.String("--format") == "mooncake_trace")
        {
            for (var i = 0; i < count; i++)
            {
                await writer.WriteLineAsync(MooncakeTraceLine.Render(i, inputLen, outputLen).AsMemory(), cancellationToken).ConfigureAwait(false);
            }

            Console.Out.WriteLine($"Wrote {count} mooncake_trace entries (ISL {inputLen}, OSL {outputLen}) to {path}");
            return 0;
        }

        for (var i = 0; i < count; i++)
        {
            var line = new PyDict
            {
                {
                    "input", new PyDict
                    {
                        {
                            "messages", new List<object>
                            {
                                new PyDict { { "role", "system" }, { "content", string.Empty } },
                                new PyDict { { "role", "user" }, { "content", WordVocabulary.RandomPrompt(random, inputLen) } },
                            }
                        },
                        { "max_tokens", outputLen },
                    }
                },
            };
            await writer.WriteLineAsync(PyJson.Serialize(line).AsMemory(), cancellationToken).ConfigureAwait(false);
        }

        Console.Out.WriteLine($"Wrote {count} requests (ISL {inputLen}, OSL {outputLen}) to {path}");
        return 0;
    }

    private static int Positive(ParsedArgs args, string name)
    {
        var value = args.Int(name)!.Value;
        return value > 0 ? value : throw new UsageException($"argument {name}: must be >= 1, got {value}");
    }
}
