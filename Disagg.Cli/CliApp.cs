using System.Collections;
using System.CommandLine;
using Disagg.Harness.Catalog;
using Disagg.Harness.Cli;
using Disagg.Harness.Execution;
using Disagg.Harness.Reporting;

namespace Disagg.Cli;

/// <summary>
/// <c>disagg validate|list|render|report|junit|upload-pending|cancel|reevaluate</c>. The parser only maps arguments; the work
/// is in <see cref="Commands"/> (validate, list) and Disagg.Harness/Cli (the others), which tests run in-process.
/// Exit codes: 0 ok, 1 a check or action failed, 2 bad input (see <see cref="ExitCodes"/>); an unknown verb or flag,
/// or a missing argument, prints an error and exits 2.
/// </summary>
public static class CliApp
{
    public static int Run(string[] args, TextWriter output, TextWriter error)
    {
        var root = new RootCommand(
            "Disagg: validate configs and test lists, list and render tests, write reports, resend uploads, cancel a run's jobs, re-evaluate a past job.\n" +
            "Exit codes: 0 ok; 1 a check or action failed; 2 bad input (unknown verb or flag, missing file, invalid config).");

        var paths = new Argument<string[]>("paths")
        {
            Description = "Config files, test lists or folders (searched recursively). Default: configs and test-lists.",
            Arity = ArgumentArity.ZeroOrMore,
        };
        var configRoot = new Option<string>("--config-root")
        {
            Description = "Config tree <type>/<category>/<stem>.yaml.",
            DefaultValueFactory = _ => "configs",
        };
        var validate = new Command("validate", "Load and validate configs and test lists (every listed id must have a config under --config-root); " +
            "print every error (file:line:column); exit 1 on any error.")
        {
            paths, configRoot,
        };
        validate.SetAction(result =>
        {
            var given = result.GetValue(paths) ?? [];
            return Commands.Validate(given.Length > 0 ? given : ["configs", "test-lists"], output, error, configRoot: result.GetValue(configRoot)!);
        });

        var testList = new Option<string>("--test-list") { Description = "Test list file (native, old harness node ids or test-db YAML).", Required = true };
        var gpu = new Option<string?>("--gpu") { Description = "GPU type (GB200, GB200_LYRIS, GB300, H100, B200, B300); " +
            "default: GPU_TYPE, else no GPU filter." };
        var property = new Option<string[]>("--property") { Description = "System property for test-db conditions, key=value (repeatable): " +
            "gpu, system_gpu_count, stage, backend, ...", Arity = ArgumentArity.ZeroOrMore };
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
        root.Subcommands.Add(Render(output, error));
        root.Subcommands.Add(Report(output, error));
        root.Subcommands.Add(Junit(output, error));
        root.Subcommands.Add(UploadPending(output, error));
        root.Subcommands.Add(Cancel(output, error));
        root.Subcommands.Add(Reevaluate(output, error));
        HistoryCommands.AddTo(root, output, error);
        foreach (var verb in NodeCommands.All(output, error)) root.Subcommands.Add(verb);
        var parsed = root.Parse(args);
        var code = parsed.Invoke(new InvocationConfiguration { Output = output, Error = error });
        return parsed.Errors.Count > 0 ? ExitCodes.BadInput : code;
    }

    private static string RepoRoot() =>
        Environment.GetEnvironmentVariable("DISAGG_REPO_ROOT") is { Length: > 0 } r ? r
        : TryFindRepoRoot(Directory.GetCurrentDirectory()) ?? TryFindRepoRoot(AppContext.BaseDirectory) ?? Directory.GetCurrentDirectory();

    private static string? TryFindRepoRoot(string start)
    {
        try { return RunSettings.FindRepoRoot(start); }
        catch (InvalidOperationException) { return null; }
    }

    private static Command Render(TextWriter output, TextWriter error)
    {
        var config = new Argument<string>("config") { Description = "Config YAML (configs/<type>/<category>/<stem>.yaml)." };
        var profile = new Option<string?>("--profile") { Description = "Cluster profile: a file, 'local' (clusters/local.yaml, alias sim) " +
            "or 'real' (clusters/example-real.yaml, alias trtllm). " +
            "Default: DISAGG_CLUSTER_PROFILE, else local." };
        var outDir = new Option<string?>("--out") { Description = "Folder for the job files (the job's workspace). " +
            "Default: results/render/<test id> (under the current folder)." };
        var testId = new Option<string?>("--test-id") { Description = "Test id. Default: <type>_<category>_<stem> from the config path, else the file name." };
        var runId = new Option<string?>("--run-id") { Description = "Run id put in the job's --comment (disagg-run=<id>). Default: DISAGG_RUN_ID, else none." };
        var command = new Command("render",
            "Render a test's job (sbatch script, launchers, worker configs) into a folder without submitting; " +
            "print the sbatch script path and the files. Exit 2 on a missing or invalid config or profile.")
        {
            config, profile, outDir, testId, runId,
        };
        command.SetAction(r => RenderCommand.Run(
            new RenderCommand.Options(r.GetValue(config)!, r.GetValue(profile), r.GetValue(outDir), r.GetValue(testId), r.GetValue(runId)),
            RepoRoot(), Environment.GetEnvironmentVariable, output, error));
        return command;
    }

    private static Command Report(TextWriter output, TextWriter error)
    {
        var dir = new Argument<string>("results-dir") { Description = "Results folder of a run (per-test folders with results.json, TRX files)." };
        var command = new Command("report",
            "Write report.html, summary.md and perf_script_test_results.csv into a results folder (GPU_TYPE sets the CSV clocks). " +
            "Exit 2 when the folder does not exist.") { dir };
        command.SetAction(r => ReportCommand.Run(r.GetValue(dir)!, Environment.GetEnvironmentVariable("GPU_TYPE"), DateTimeOffset.UtcNow, output, error));
        return command;
    }

    private static Command Junit(TextWriter output, TextWriter error)
    {
        var dir = new Argument<string>("results-dir") { Description = "Results folder of a run (holds disagg-perf.junit.xml)." };
        var projectDir = new Option<string?>("--project-dir")
        {
            Description = "Folder attachment paths are made relative to. Default: CI_PROJECT_DIR (GitLab), else WORKSPACE (Jenkins), else the repository root.",
        };
        var configRoot = new Option<string?>("--config-root")
        {
            Description = "Config tree the test ids come from, for their categories. Default: DISAGG_CONFIG_ROOT, else configs.",
        };
        var command = new Command("junit",
            "Rewrite disagg-perf.junit.xml for GitLab and Jenkins: valid against the xUnit plugin's junit-10.xsd, categories as properties, waiver URLs in " +
            "<skipped message>, attachments relative to the CI project folder with the diagnosis archive first. Exit 1 when the file is missing or not XML, " +
            "2 when the folder does not exist.")
        {
            dir, projectDir, configRoot,
        };
        command.SetAction(r =>
        {
            var repo = RepoRoot();
            var project = r.GetValue(projectDir) is { Length: > 0 } p
                ? Path.GetFullPath(p)
                : AttachmentPath.ProjectDir(Environment.GetEnvironmentVariable, repo);
            var configs = r.GetValue(configRoot)
                ?? (Environment.GetEnvironmentVariable("DISAGG_CONFIG_ROOT") is { Length: > 0 } c ? c : Path.Combine(repo, "configs"));
            return JunitCommand.Run(r.GetValue(dir)!, project, configs, output, error);
        });
        return command;
    }

    private static readonly HttpClient Http = new() { Timeout = Timeout.InfiniteTimeSpan };

    private static Command UploadPending(TextWriter output, TextWriter error)
    {
        var dir = new Argument<string>("results-dir") { Description = "Results folder whose outbox/ holds payloads teardown could not send." };
        var command = new Command("upload-pending",
            "Resend the outbox of a results folder to OpenSearch and the Perf DB (same environment variables as the test run). " +
            "Exit 0 when the outbox is empty afterwards, 1 when entries are still pending, 2 on a bad folder or setting.") { dir };
        command.SetAction((r, ct) => UploadPendingCommand.RunAsync(r.GetValue(dir)!, CurrentEnvironment(), Http, TimeProvider.System, output, error, ct));
        return command;
    }

    private static Command Cancel(TextWriter output, TextWriter error)
    {
        var runId = new Argument<string>("run-id") { Description = "The run id: DISAGG_RUN_ID of the run, else its results folder's name." };
        var wait = new Option<double>("--wait") { Description = "Seconds to wait for SLURM to show the jobs ended.", DefaultValueFactory = _ => 60 };
        var command = new Command("cancel",
            "scancel every pending or running job whose comment is disagg-run=<run-id> and wait until SLURM shows them ended. " +
            "Exit 0 when none is left, 1 when some still run or SLURM cannot be asked, 2 on a bad run id.")
        {
            runId, wait,
        };
        command.SetAction((r, ct) => CancelCommand.RunAsync(r.GetValue(runId)!, TimeSpan.FromSeconds(r.GetValue(wait)),
            new Disagg.Harness.Cluster.LocalCommandRunner(), TimeProvider.System, output, error, ct));
        return command;
    }

    private static Command Reevaluate(TextWriter output, TextWriter error)
    {
        var jobDir = new Argument<string>("job-dir") { Description = "A past job's workspace (benchmark.log, concurrency_N/result.json, gen_server_N.log)." };
        var config = new Option<string>("--config") { Description = "Config YAML whose thresholds to apply (edit it to tune them).", Required = true };
        var command = new Command("reevaluate",
            "Re-run result parsing, completeness checks and thresholds on an existing job folder, without a cluster. " +
            "Exit 1 when any check fails, 2 on a missing folder or invalid config.")
        {
            jobDir, config,
        };
        command.SetAction(r => ReevaluateCommand.Run(r.GetValue(jobDir)!, r.GetValue(config)!, output, error));
        return command;
    }

    private static Dictionary<string, string> CurrentEnvironment()
    {
        var env = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (DictionaryEntry e in Environment.GetEnvironmentVariables()) env[(string)e.Key] = e.Value as string ?? "";
        return env;
    }
}
