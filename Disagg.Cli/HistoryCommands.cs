using System.CommandLine;
using Disagg.Harness.Cli;
using Disagg.Harness.Publishing;

namespace Disagg.Cli;

/// <summary>
/// <c>disagg trend</c>, <c>disagg pareto</c> and <c>disagg compare</c> (docs/history.md): the parser only maps arguments to
/// <see cref="HistoryOptions"/>; the work is in <see cref="HistoryCommand"/>.
/// </summary>
public static class HistoryCommands
{
    public static void AddTo(RootCommand root, TextWriter output, TextWriter error)
    {
        root.Subcommands.Add(Trend(output, error));
        root.Subcommands.Add(Pareto(output, error));
        root.Subcommands.Add(Compare(output, error));
    }

    private sealed record Common(Option<string?> Db, Option<string?> Sqlite, Option<string[]> Metric, Option<string?> Out);

    private sealed record Filters(Option<string?> Test, Option<string?> Model, Option<string?> Gpu, Option<string?> Cluster,
        Option<string?> Category, Option<int> Last);

    private static Common CommonOptions(string outDescription) => new(
        new Option<string?>("--db") { Description = "PostgreSQL connection string of the Perf DB. Default: DISAGG_PERFDB_CONNECTION." },
        new Option<string?>("--sqlite") { Description = "An embedded SQLite Perf DB file (a results folder's perfdb.sqlite). Default: DISAGG_PERFDB_SQLITE." },
        new Option<string[]>("--metric")
        {
            Description = "Metric to include (repeatable; catalog names or output_tps_per_gpu).",
            Arity = ArgumentArity.ZeroOrMore,
        },
        new Option<string?>("--out") { Description = outDescription });

    private static Filters FilterOptions(int last, string lastDescription) => new(
        new Option<string?>("--test") { Description = "One test id (default: every test the other filters select)." },
        new Option<string?>("--model") { Description = "Model name (metadata.model_name)." },
        new Option<string?>("--gpu") { Description = "GPU type (gb200, h100, ...)." },
        new Option<string?>("--cluster") { Description = "Cluster name (DISAGG_CLUSTER_NAME of the run, else its cluster profile's name)." },
        new Option<string?>("--category") { Description = "Config category (configs/<type>/<category>/)." },
        new Option<int>("--last") { Description = lastDescription, DefaultValueFactory = _ => last });

    private static void AddAll(Command command, Common c, Filters? f)
    {
        command.Options.Add(c.Db);
        command.Options.Add(c.Sqlite);
        command.Options.Add(c.Metric);
        command.Options.Add(c.Out);
        if (f is null) return;
        command.Options.Add(f.Test);
        command.Options.Add(f.Model);
        command.Options.Add(f.Gpu);
        command.Options.Add(f.Cluster);
        command.Options.Add(f.Category);
        command.Options.Add(f.Last);
    }

    private static HistoryOptions Read(ParseResult r, Common c, Filters? f, IReadOnlyList<string> metrics, string defaultOut) => new(
        r.GetValue(c.Db), r.GetValue(c.Sqlite),
        f is null ? new HistoryFilter()
            : new HistoryFilter(r.GetValue(f.Test), r.GetValue(f.Model), r.GetValue(f.Gpu), r.GetValue(f.Cluster), r.GetValue(f.Category)),
        r.GetValue(c.Metric) is { Length: > 0 } m ? m : metrics,
        f is null ? 0 : Math.Max(1, r.GetValue(f.Last)),
        r.GetValue(c.Out) ?? defaultOut);

    private static Command Trend(TextWriter output, TextWriter error)
    {
        var c = CommonOptions("Output file or folder (default: trend.html in the current folder).");
        var f = FilterOptions(20, "Runs per test (default 20).");
        var command = new Command("trend",
            "Write trend.html from the Perf DB: per test and key metric the last N runs with the rolling baseline and its noise band, " +
            "regressions and infra failures marked, every point labelled by run id, commit and image. Exit 2 without a usable Perf DB.");
        AddAll(command, c, f);
        command.SetAction((r, ct) => HistoryCommand.TrendAsync(Read(r, c, f, HistoryOptions.KeyMetrics, TrendFile),
            Environment.GetEnvironmentVariable, DateTimeOffset.UtcNow, output, error, ct));
        return command;
    }

    private const string TrendFile = "trend.html";

    private static Command Pareto(TextWriter output, TextWriter error)
    {
        var c = CommonOptions("Output file or folder (default: pareto.html in the current folder).");
        var f = FilterOptions(2000, "Newest stored tests to read (default 2000).");
        var groupBy = new Option<string>("--group-by")
        {
            Description = "What one frontier is: commit (a build, default), image, run or test (a configuration).",
            DefaultValueFactory = _ => "commit",
        };
        var command = new Command("pareto",
            "Write pareto.html: per config family (model, ISL/OSL, GPU type) output tok/s per GPU against tok/s per user for every run and " +
            "concurrency, each group's frontier, and the first two groups compared at matched tok/s per user. Exit 2 without a usable Perf DB.")
        {
            groupBy,
        };
        AddAll(command, c, f);
        command.SetAction((r, ct) => HistoryCommand.ParetoAsync(Read(r, c, f, [], "pareto.html"), r.GetValue(groupBy)!,
            Environment.GetEnvironmentVariable, DateTimeOffset.UtcNow, output, error, ct));
        return command;
    }

    private static Command Compare(TextWriter output, TextWriter error)
    {
        var c = CommonOptions("Folder for compare.md and compare.html (default: the current folder).");
        var runA = new Argument<string>("run-a") { Description = "The reference run id, or 'baseline': the newest earlier run of B's tests that all passed." };
        var runB = new Argument<string?>("run-b") { Description = "The run id to judge (or --results-dir).", Arity = ArgumentArity.ZeroOrOne };
        var resultsDir = new Option<string?>("--results-dir")
        {
            Description = "Judge the run of this results folder (DISAGG_RUN_ID, else the folder's name); write into it and append to its summary.md.",
        };
        var window = new Option<int>("--window")
        {
            Description = "Earlier passing runs per test the noise is measured on (default 20).",
            DefaultValueFactory = _ => 20,
        };
        var command = new Command("compare",
            "Compare two runs from the Perf DB: per test, metric and concurrency the change with its significance against the history's noise, " +
            "worst movers first, and what differed (commit, image, config keys, nodes). Prints Markdown and writes compare.md and compare.html. " +
            "Exit 2 on an unknown run id or without a usable Perf DB.")
        {
            runA, runB, window, resultsDir,
        };
        AddAll(command, c, null);
        command.SetAction((r, ct) =>
        {
            var options = Read(r, c, null, Disagg.Harness.Reporting.RunComparison.DefaultMetrics, ".");
            var w = Math.Max(3, r.GetValue(window));
            if (r.GetValue(resultsDir) is { } dir)
                return HistoryCommand.CompareResultsAsync(r.GetValue(runA)!, dir, options, w, Environment.GetEnvironmentVariable, DateTimeOffset.UtcNow,
                    output, error, ct);
            if (r.GetValue(runB) is not { } b)
            {
                error.WriteLine("compare: give run B, or --results-dir DIR for the run of a results folder");
                return Task.FromResult(Disagg.Harness.Cli.ExitCodes.BadInput);
            }
            return HistoryCommand.CompareAsync(r.GetValue(runA)!, b, options, w, Environment.GetEnvironmentVariable, DateTimeOffset.UtcNow,
                output, error, ct);
        });
        return command;
    }
}
