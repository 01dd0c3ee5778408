using Disagg.Harness.Catalog;
using Disagg.Harness.Configuration;
using Disagg.Harness.Execution;
using Disagg.Harness.Pipeline;
using Disagg.Harness.TestLists;

namespace Disagg.Tests;

/// <summary>
/// Turns the selected test list into NUnit cases at discovery time. Reads only files (never the
/// cluster), so the IDE test explorer works on a laptop. Every entry yields a case: runnable (with
/// categories for --filter), Ignored with a reason (waiver, GPU_TYPE filter) or failing with the
/// errors (no such config, invalid config, bad list, unknown GPU_TYPE).
/// Inputs: DISAGG_TEST_LIST / TestList, DISAGG_CONFIG_ROOT / ConfigRoot, GPU_TYPE / GpuType,
/// DISAGG_SYSTEM_PROPERTIES / SystemProperties ("gpu=gb200,stage=post_merge", for test-db lists),
/// DISAGG_TEST_DB_CONTEXT / TestDbContext, DISAGG_WAIVES / Waives (a waiver list file).
/// </summary>
public static class PerfCaseSource
{
    public const string Unresolved = "unresolved";

    public static IEnumerable<TestCaseData> Cases()
    {
        IReadOnlyList<SelectedCase> selected;
        try
        {
            var settings = RunSettings.Resolve(name => TestContext.Parameters.Get(name));
            string? Get(string env, string param) =>
                Environment.GetEnvironmentVariable(env) is { Length: > 0 } e ? e : TestContext.Parameters.Get(param) is { Length: > 0 } p ? p : null;
            var props = SystemProperties.Parse(
                (Get("DISAGG_SYSTEM_PROPERTIES", "SystemProperties") ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries),
                Get("DISAGG_TEST_DB_CONTEXT", "TestDbContext"));
            var gpuType = Get("GPU_TYPE", "GpuType");
            if (gpuType is not null && !props.Values.ContainsKey("gpu"))
                props = props with { Values = new Dictionary<string, string>(props.Values) { ["gpu"] = gpuType.ToLowerInvariant() } };
            var list = TestListParser.Load(settings.TestList, props);
            if (Get("DISAGG_WAIVES", "Waives") is { } waives) list = TestListParser.ApplyWaives(list, TestListParser.Load(waives, props));
            selected = TestSelection.Resolve(settings.ConfigRoot, list, gpuType);
        }
        catch (Exception e) when (e is ConfigException or InvalidOperationException or IOException)
        {
            return [new TestCaseData(PerfCase.Failing("test_list_error", e.Message)).SetArgDisplayNames("test_list_error")];
        }

        var cases = new List<TestCaseData>(selected.Count);
        foreach (var c in selected)
        {
            var data = new TestCaseData(PerfCase.From(c)).SetArgDisplayNames(c.TestId);
            foreach (var category in c.Categories) data.SetCategory(category);
            if (c.Error is not null && c.Config is null) data.SetCategory(Unresolved);
            if (c.Entry.TimeoutMinutes is { } minutes) data.SetProperty("TimeoutMinutes", minutes.ToString(System.Globalization.CultureInfo.InvariantCulture));
            if (c.Entry.Upload is { } upload) data.SetProperty("Upload", upload ? "true" : "false");
            if (c.Entry.Mode is { } mode) data.SetProperty("Mode", TestTraits.ModeName(mode));
            if (c.Entry.Isolation) data.SetProperty("Isolation", "true");
            if (c.SkipReason is { } reason && c.Error is null) data.Ignore(reason);
            cases.Add(data);
        }
        return cases;
    }
}
