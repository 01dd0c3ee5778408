using System.CommandLine;
using Disagg.Harness.Catalog;

namespace Disagg.Cli;

/// <summary>
/// <c>disagg validate [paths...]</c> and <c>disagg list --test-list FILE [--gpu X]</c>. The parser only maps
/// arguments; the work is in <see cref="Commands"/>. Unknown verbs and flags print an error and exit 1.
/// </summary>
public static class CliApp
{
    public static int Run(string[] args, TextWriter output, TextWriter error)
    {
        var root = new RootCommand("Disagg: validate configs and test lists, list the tests a list selects.");

        var paths = new Argument<string[]>("paths")
        {
            Description = "Config files, test lists or folders (searched recursively). Default: configs and test-lists.",
            Arity = ArgumentArity.ZeroOrMore,
        };
        var validate = new Command("validate", "Load and validate configs and test lists; print every error (file:line:column); exit 1 on any error.") { paths };
        validate.SetAction(result =>
        {
            var given = result.GetValue(paths) ?? [];
            return Commands.Validate(given.Length > 0 ? given : ["configs", "test-lists"], output, error);
        });

        var testList = new Option<string>("--test-list") { Description = "Test list file (native, old harness node ids or test-db YAML).", Required = true };
        var gpu = new Option<string?>("--gpu") { Description = "GPU type (GB200, GB200_LYRIS, GB300, H100, B200, B300); default: GPU_TYPE, else no GPU filter." };
        var configRoot = new Option<string>("--config-root") { Description = "Config tree <type>/<category>/<stem>.yaml.", DefaultValueFactory = _ => "configs" };
        var property = new Option<string[]>("--property") { Description = "System property for test-db conditions, key=value (repeatable): gpu, system_gpu_count, stage, backend, ...", Arity = ArgumentArity.ZeroOrMore };
        var context = new Option<string?>("--context") { Description = "test-db context to read (default: all contexts in the file)." };
        var waives = new Option<string?>("--waives") { Description = "Waiver file: <id> SKIP (reason) lines." };
        var list = new Command("list", "Resolve a test list: ids, categories, skip and failure reasons, excluded entries; exit 1 if any case would fail.")
        {
            testList, gpu, configRoot, property, context, waives,
        };
        list.SetAction(result => Commands.List(
            result.GetValue(testList)!,
            result.GetValue(configRoot)!,
            result.GetValue(gpu) ?? (Environment.GetEnvironmentVariable("GPU_TYPE") is { Length: > 0 } g ? g : null),
            result.GetValue(property) ?? [],
            result.GetValue(context),
            result.GetValue(waives),
            output,
            error));

        root.Subcommands.Add(validate);
        root.Subcommands.Add(list);
        return root.Parse(args).Invoke(new InvocationConfiguration { Output = output, Error = error });
    }
}
