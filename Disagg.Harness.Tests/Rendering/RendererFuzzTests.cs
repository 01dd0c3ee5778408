using System.Collections.Concurrent;
using System.Diagnostics;
using System.Security.Cryptography;
using System.Text;
using Disagg.Harness.Cluster;
using Disagg.Harness.Configuration;
using Disagg.Harness.Rendering;

namespace Disagg.Harness.Tests.Rendering;

/// <summary>
/// The renderer fuzz test of issue 15. Ten thousand configs, each with hostile strings put into some of its string
/// fields and mapping keys (anywhere: harness sections and worker configs), must each be either refused with a
/// located error (file, line, column) or render scripts that pass <c>bash -n</c> and, run with real bash under
/// <see cref="ShimCluster"/>, execute only commands that the unmutated configs execute, and create no file a payload
/// would create. The first configs are the injections of issue 15 exactly as found (<see cref="FuzzConfigs.IssueInjections"/>);
/// run against the code before that issue, this test reports each of them. Jobs whose scripts are byte-identical to one
/// already run are run once.
/// </summary>
[NonParallelizable]
public sealed partial class RendererFuzzTests
{
    private const int Configs = 10_000;
    private const string HashWorkspace = "/fuzz/workspace";
    private const int Seed = 20_260_115;

    /// <summary>
    /// Which base each config starts from (indexes into <see cref="FuzzConfigs.Bases"/>): the DWDP job writes its worker
    /// configs into the batch script, so nearly every mutation of it is a new job to run; it gets one config in ten.
    /// </summary>
    private static readonly int[] Schedule = [0, 1, 2, 3, 0, 1, 2, 3, 0, 4];

    /// <summary>
    /// Commands whose text carries config values (quoted) or the workspace path: for these the command word must be
    /// expected (and what exec runs); every other command must be, word for word, one the unmutated jobs ran.
    /// </summary>
    private static readonly HashSet<string> ValueCarrying = new(StringComparer.Ordinal)
    {
        "export", "exec", "echo", "(assignment)", "\"${CLIENT[@]}\"", "\"$@\"", "srun", "start_step", "run_step", "lm_eval", "pip", "cd", "python", "python3",
        "dotnet",
    };

    private sealed record Candidate(int Index, FuzzConfigs.Base Base, DisaggConfig Config, IReadOnlyList<string> Edits, string TestId);

    /// <summary>What a job may run: command words, the whole text of every command that carries no value, and what exec runs.</summary>
    private sealed class Expected
    {
        private readonly Dictionary<string, HashSet<string>> _texts = new(StringComparer.Ordinal);
        private readonly HashSet<string> _execTargets = new(StringComparer.Ordinal);

        public IEnumerable<string> Words => _texts.Keys;

        public void Learn(IEnumerable<string> commands, string workspace)
        {
            foreach (var command in commands)
            {
                var (first, second, text) = Parse(command, workspace);
                if (!_texts.TryGetValue(first, out var texts)) _texts[first] = texts = new HashSet<string>(StringComparer.Ordinal);
                texts.Add(text);
                if (first == "exec") _execTargets.Add(second);
            }
        }

        public string? Unexpected(IEnumerable<string> commands, string workspace)
        {
            foreach (var command in commands)
            {
                var (first, second, text) = Parse(command, workspace);
                if (!_texts.TryGetValue(first, out var texts))
                    return $"ran '{FuzzConfigs.Show(command)}' (command '{FuzzConfigs.Show(first)}' is not one a job runs)";
                if (!ValueCarrying.Contains(first) && !texts.Contains(text)) return $"ran '{FuzzConfigs.Show(command)}' (no job runs this {first} command)";
                if (first == "exec" && !_execTargets.Contains(second)) return $"ran '{FuzzConfigs.Show(command)}' (exec of something a job never execs)";
            }
            return null;
        }

        private static (string First, string Second, string Text) Parse(string command, string workspace)
        {
            var words = TracedCommand.Words(command).Take(2).ToList();
            // The body of a quoted here-document is data (it expands nothing): the command is its first line. Numbers are the
            // layout's (node indexes, server counts), which differ between configs of the same shape.
            var text = command.Contains("<<'", StringComparison.Ordinal) ? command.Split('\n')[0] : command;
            text = Digits().Replace(text.Replace(workspace, "$WS", StringComparison.Ordinal), "0");
            return (words.FirstOrDefault() ?? "(assignment)", words.ElementAtOrDefault(1) ?? "", text);
        }
    }

    [Test, CancelAfter(900_000)]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public async Task Every_hostile_config_is_refused_at_a_line_or_renders_scripts_that_parse_and_run_only_expected_commands(CancellationToken token)
    {
        var clock = Stopwatch.StartNew();
        await using var shim = ShimCluster.Create();
        var profiles = new Dictionary<string, ClusterProfile>(StringComparer.Ordinal);
        foreach (var kind in new[] { "real", "sim" })
        {
            var path = Path.Combine(shim.Root, $"{kind}.yaml");
            await File.WriteAllTextAsync(path, FuzzConfigs.Profile(kind, shim.HealthPort), token);
            profiles[kind] = ClusterProfileLoader.Load(path, Fixtures.FixturePaths.RepoRoot);
        }
        var bases = FuzzConfigs.Bases();
        // A job spends most of its time waiting for its processes to start, so jobs overlap well beyond the core count.
        var parallel = 3 * Environment.ProcessorCount;
        var slots = new ConcurrentQueue<string>(Enumerable.Range(0, parallel).Select(i => Path.Combine(shim.Root, $"slot{i}")));
        var failures = new ConcurrentQueue<(string Kind, string Text)>();

        // The expected set: everything the unmutated configs run.
        var expected = new Expected();
        foreach (var b in bases)
        {
            var config = ConfigLoader.Parse(b.Text, "fuzz.yaml");
            var workspace = Path.Combine(shim.Root, "baseline");
            var plan = JobRenderer.Render(config, profiles[b.ProfileKind], new RenderContext("fuzz_test", workspace, "fuzz_test.yaml"));
            foreach (var script in plan.Files.Where(f => f.Executable))
                Assert.That(await shim.SyntaxErrorAsync(script.Content, token), Is.Null, $"{b.Name}: {script.Name}");
            var run = await shim.RunAsync(plan, workspace, token);
            Assert.That(run.ExitCode, Is.Zero, $"the unmutated config {b.Name} must run to the end under the shim:\n{run.Output}");
            expected.Learn(run.Commands, workspace);
            // A hostile value may make a step fail (an install from a folder that does not exist): the failure paths are expected too.
            foreach (var outcome in new[] { ShimCluster.Outcome.ClientFails, ShimCluster.Outcome.ServersExit })
            {
                var failed = await shim.RunAsync(plan, workspace, token, outcome);
                Assert.That(failed.ExitCode, Is.Not.Zero, $"{b.Name} must fail when {outcome}");
                Assert.That(failed.Commands, Has.Some.StartsWith("package_logs_for_diagnosis"), "the failure path packages the logs");
                expected.Learn(failed.Commands, workspace);
            }
        }
        var words = expected.Words.Order(StringComparer.Ordinal).ToList();
        TestContext.Out.WriteLine($"expected set from {bases.Count} unmutated configs: {words.Count} command words ({string.Join(' ', words)})");
        var generation = clock.Elapsed;

        // Generate, load and render in-process (config i from seed i, so a finding is reproducible on its own);
        // keep the lowest-numbered config of each distinct set of scripts.
        var (refused, rendered) = (0, 0);
        var jobs = new ConcurrentDictionary<string, Candidate>(StringComparer.Ordinal);
        var injections = FuzzConfigs.IssueInjections();
        Parallel.For(0, Configs, new ParallelOptions { CancellationToken = token }, i =>
        {
            var generated = i < injections.Count ? injections[i] : Mutated(bases[Schedule[i % Schedule.Length]], new Random(Seed + i));
            var (b, text, edits, testId) = (generated.Base, generated.Text, generated.Edits, generated.TestId);
            var where = $"config {i} ({b.Name}; {string.Join("; ", edits)})";
            DisaggConfig config;
            try
            {
                config = ConfigLoader.Parse(text, $"fuzz-{i}.yaml");
            }
            catch (ConfigException e)
            {
                Interlocked.Increment(ref refused);
                if (e.Errors.Count == 0 || e.Errors.Any(x => x.Line < 1 || x.Column < 1 || string.IsNullOrWhiteSpace(x.Message)))
                    failures.Enqueue(("refused without a located error", $"{where}: {e.Message}"));
                return;
            }
#pragma warning disable CA1031 // anything but a located refusal is a finding
            catch (Exception e)
            {
                failures.Enqueue(("loading threw", $"{where}: {e.GetType().Name}: {e.Message}"));
                return;
            }
            JobPlan plan;
            try
            {
                plan = JobRenderer.Render(config, profiles[b.ProfileKind], new RenderContext(testId, HashWorkspace, testId + ".yaml"));
            }
            catch (Exception e)
            {
                failures.Enqueue(("validated, but rendering threw", $"{where}: {e.GetType().Name}: {e.Message}"));
                return;
            }
#pragma warning restore CA1031
            Interlocked.Increment(ref rendered);
            var candidate = new Candidate(i, b, config, edits, testId);
            jobs.AddOrUpdate(Key(b.ProfileKind, plan), candidate, (_, seen) => seen.Index < i ? seen : candidate);
        });

        var rendering = clock.Elapsed - generation;
        // Every distinct script parses; every distinct job runs only expected commands.
        var scripts = new ConcurrentDictionary<string, byte>(StringComparer.Ordinal);
        var options = new ParallelOptions { MaxDegreeOfParallelism = parallel, CancellationToken = token };
        await Parallel.ForEachAsync(jobs.Values.OrderBy(j => j.Index), options, async (job, ct) =>
        {
            var where = $"config {job.Index} ({job.Base.Name}; {string.Join("; ", job.Edits)})";
            if (!slots.TryDequeue(out var slot)) throw new InvalidOperationException("no free slot");
            try
            {
                var plan = JobRenderer.Render(job.Config, profiles[job.Base.ProfileKind], new RenderContext(job.TestId, slot, job.TestId + ".yaml"));
                foreach (var script in plan.Files.Where(f => f.Executable))
                    if (scripts.TryAdd(Hash(script.Content), 0) && await shim.SyntaxErrorAsync(script.Content, ct) is { } syntax)
                        failures.Enqueue(("a script fails bash -n", $"{where}: {script.Name} fails {syntax}"));
                var run = await shim.RunAsync(plan, slot, ct);
                if (run.Markers.Count > 0) failures.Enqueue(("a payload ran and created a file", $"{where}: {string.Join(", ", run.Markers)}"));
                if (expected.Unexpected(run.Commands, slot) is { } unexpected)
                    failures.Enqueue(("the job ran an unexpected command", $"{where}: {unexpected}"));
                // Every step's tools are stubs that succeed, so a job that does not reach its end was broken by a value.
                if (run.ExitCode != 0) failures.Enqueue(("the job did not run to its end", $"{where}: exit {run.ExitCode}: {LastLines(run.Output)}"));
            }
            finally
            {
                slots.Enqueue(slot);
            }
        });

        TestContext.Out.WriteLine($"{Configs} configs in {clock.Elapsed.TotalSeconds:0.0} s (baseline {generation.TotalSeconds:0.0} s, generate+load+render " +
            $"{rendering.TotalSeconds:0.0} s, bash -n + runs {(clock.Elapsed - generation - rendering).TotalSeconds:0.0} s): " +
            $"{refused} refused with a located error, {rendered} rendered " +
            $"({jobs.Count} distinct jobs run under the shim, {scripts.Count} distinct scripts through bash -n), " +
            $"{failures.Count} finding(s)");
        foreach (var kind in failures.GroupBy(f => f.Kind).OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            TestContext.Out.WriteLine($"FINDINGS {kind.Key}: {kind.Count()}");
            foreach (var (_, text) in kind.OrderBy(f => f.Text, StringComparer.Ordinal).Take(3)) TestContext.Out.WriteLine("  " + text.Split('\n')[0]);
        }
        // DISAGG_FUZZ_REPORT=<file> keeps every finding, for reading them all (e.g. when the test is run against older code).
        if (System.Environment.GetEnvironmentVariable("DISAGG_FUZZ_REPORT") is { Length: > 0 } report)
            await File.WriteAllLinesAsync(report, failures.Select(f => $"{f.Kind}\t{f.Text.Replace('\n', ' ')}").Order(StringComparer.Ordinal), token);
        Assert.That(failures, Is.Empty, $"{failures.Count} finding(s); the first: {failures.Select(f => $"{f.Kind}: {f.Text}").FirstOrDefault()}");
        Assert.That(refused + rendered, Is.EqualTo(Configs));
        Assert.That(rendered, Is.GreaterThan(1000), "too few hostile configs rendered to prove anything");
        Assert.That(jobs, Has.Count.GreaterThan(200), "too few distinct jobs ran to prove anything");
    }

    [System.Text.RegularExpressions.GeneratedRegex(@"[0-9]+")] private static partial System.Text.RegularExpressions.Regex Digits();

    private static string LastLines(string output) =>
        string.Join(" | ", output.TrimEnd('\n').Split('\n').TakeLast(2));

    private static FuzzConfigs.Generated Mutated(FuzzConfigs.Base b, Random random)
    {
        var (text, edits) = FuzzConfigs.Mutate(b.Text, random);
        return new FuzzConfigs.Generated(b, text, edits);
    }

    private static string Key(string profileKind, JobPlan plan)
    {
        var text = new StringBuilder(profileKind);
        foreach (var file in plan.Files.Where(f => f.Executable)) text.Append('\0').Append(file.Name).Append('\0').Append(file.Content);
        return Hash(text.ToString());
    }

    private static string Hash(string text) => Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(text)));
}
