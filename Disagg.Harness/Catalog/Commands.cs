using Disagg.Harness.Configuration;
using Disagg.Harness.TestLists;

namespace Disagg.Harness.Catalog;

/// <summary>
/// The work behind <c>disagg validate</c> and <c>disagg list</c>, independent of the command-line parser so it
/// runs in-process in tests. Both write plain lines (file:line:column: key: message) and return the exit code.
/// </summary>
public static class Commands
{
    /// <summary>
    /// Checks configs and test lists (files or folders, recursively); every id a list names must have a config under
    /// <paramref name="configRoot"/>. Exit 1 if any file has an error, 2 for an argument that looks like an option (<c>--bogus</c>
    /// is not taken for a path). A config is checked as a run would use it: with the environment overrides of
    /// <paramref name="environment"/> (the process environment by default) applied.
    /// </summary>
    public static int Validate(IReadOnlyList<string> paths, TextWriter output, TextWriter error, Func<string, string?>? environment = null,
        string configRoot = "configs")
    {
        environment ??= Environment.GetEnvironmentVariable;
        if (paths.FirstOrDefault(p => p.StartsWith('-') && !File.Exists(p) && !Directory.Exists(p)) is { } option)
        {
            error.WriteLine($"validate: unknown option '{Names.Show(option)}'; validate takes config files, test lists or folders (and --config-root DIR)");
            return 2;
        }
        IReadOnlyDictionary<string, CatalogEntry>? catalog = null;
        var files = new List<string>();
        foreach (var path in paths)
        {
            if (Directory.Exists(path))
                files.AddRange(Directory.EnumerateFiles(path, "*", SearchOption.AllDirectories)
                    .Where(f => f.EndsWith(".yaml", StringComparison.Ordinal) || f.EndsWith(".yml", StringComparison.Ordinal)
                        || f.EndsWith(".txt", StringComparison.Ordinal))
                    .Order(StringComparer.Ordinal));
            else if (File.Exists(path)) files.Add(path);
            else
            {
                error.WriteLine($"{path}: no such file or folder");
                return 1;
            }
        }
        if (files.Count == 0)
        {
            error.WriteLine("nothing to validate: give config files, test lists or folders");
            return 1;
        }
        var (errors, warnings) = (0, 0);
        foreach (var file in files)
        {
            IReadOnlyList<ConfigError> found;
            try
            {
                if (IsTestList(file))
                {
                    catalog ??= TestCatalog.Discover(configRoot).ToDictionary(e => e.TestId, StringComparer.Ordinal);
                    var list = TestListParser.Load(file);
                    found = [.. list.Warnings, .. UnknownIds(list, catalog, configRoot)];
                }
                else found = AsRun(ConfigLoader.Load(file), environment);
            }
            catch (ConfigException e)
            {
                found = e.Errors;
            }
            foreach (var problem in found) output.WriteLine(problem.ToString());
            errors += found.Count(p => !p.IsWarning);
            warnings += found.Count(p => p.IsWarning);
        }
        output.WriteLine($"{files.Count} file(s) checked: {errors} error(s), {warnings} warning(s)");
        return errors > 0 ? 1 : 0;
    }

    /// <summary>
    /// Resolves a test list: one line per case (RUN/SKIP/FAIL with categories or reason) and per excluded entry. Exit 1
    /// if any case would fail.
    /// </summary>
    public static int List(string testList, string configRoot, string? gpu, IReadOnlyList<string> properties,
        string? context, string? waives, TextWriter output, TextWriter error)
    {
        IReadOnlyList<SelectedCase> cases;
        TestList list;
        try
        {
            var props = SystemProperties.Parse(properties, context);
            if (gpu is not null && !props.Values.ContainsKey("gpu"))
                props = props with { Values = new Dictionary<string, string>(props.Values) { ["gpu"] = gpu.ToLowerInvariant() } };
            list = TestListParser.Load(testList, props);
            if (waives is not null) list = TestListParser.ApplyWaives(list, TestListParser.Load(waives, props));
            cases = TestSelection.Resolve(configRoot, list, gpu);
        }
        catch (ConfigException e)
        {
            foreach (var problem in e.Errors) error.WriteLine(problem.ToString());
            return 1;
        }
        foreach (var warning in list.Warnings) output.WriteLine(warning.ToString());
        foreach (var c in cases)
        {
            var flags = string.Concat(
                c.Entry.TimeoutMinutes is { } t ? $" timeout={t}min" : "",
                c.Entry.Isolation ? " isolation" : "",
                c.Entry.Upload is { } u ? $" upload={(u ? "true" : "false")}" : "",
                c.Entry.Mode is { } m ? $" mode={TestTraits.ModeName(m)}" : "",
                c.Entry.StaleWaiver is { } stale ? $" stale waiver: {stale}" : "");
            if (c.Error is not null) output.WriteLine($"FAIL  {c.TestId}  {c.Error.Split('\n')[0].TrimEnd()}");
            else if (c.SkipReason is not null) output.WriteLine($"SKIP  {c.TestId}  {c.SkipReason}");
            else output.WriteLine($"RUN   {c.TestId}  [{string.Join(",", c.Categories)}]{flags}");
        }
        foreach (var x in list.Excluded) output.WriteLine($"EXCL  {x.Source}  {x.File}:{x.Line}: {x.Reason}");
        var failing = cases.Count(c => c.Error is not null);
        output.WriteLine($"{cases.Count} case(s): {cases.Count(c => c.Error is null && c.SkipReason is null)} to run, " +
            $"{cases.Count(c => c.Error is null && c.SkipReason is not null)} skipped, {failing} failing; {list.Excluded.Count} excluded");
        return failing > 0 ? 1 : 0;
    }

    /// <summary>One error per list entry whose id has no config under the root, at the entry's line.</summary>
    private static IEnumerable<ConfigError> UnknownIds(TestList list, IReadOnlyDictionary<string, CatalogEntry> catalog, string configRoot) =>
        list.Entries.Where(e => !catalog.ContainsKey(e.TestId)).Select(e =>
        {
            var near = Common.TextSimilarity.Nearest(e.TestId, catalog.Keys);
            return new ConfigError(e.File, e.Line, 1, "", $"'{e.TestId}' matches no config under {configRoot}"
                + (near is null ? $" ({catalog.Count} config(s) there; pass --config-root DIR if they live elsewhere)" : $" (did you mean '{near}'?)"));
        });

    /// <summary>A config's warnings plus what the environment leaves unresolved (PlaceholderCheck).</summary>
    private static IReadOnlyList<ConfigError> AsRun(DisaggConfig config, Func<string, string?> environment) =>
        [.. config.Warnings, .. PlaceholderCheck.Unresolved(EnvironmentOverrides.Apply(config, environment).Config)];

    private static bool IsTestList(string file)
    {
        if (file.EndsWith(".txt", StringComparison.Ordinal)) return true;
        if (new FileInfo(file).Length > InputLimits.MaxFileBytes) return false;
        using var reader = new StreamReader(file);
        for (var line = reader.ReadLine(); line is not null; line = reader.ReadLine())
        {
            var t = line.Trim();
            if (t.Length == 0 || t.StartsWith('#')) continue;
            return t.StartsWith("version:", StringComparison.Ordinal);
        }
        return false;
    }
}
