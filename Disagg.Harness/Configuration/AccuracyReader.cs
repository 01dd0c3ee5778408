using YamlDotNet.RepresentationModel;

namespace Disagg.Harness.Configuration;

/// <summary>
/// Reads the <c>accuracy</c> execution section in either form: the task form (<c>tasks:</c> a mapping of
/// task name to <c>{model, model_args_extra, extra_kwargs}</c>) or the legacy flat form (<c>tasks: gsm8k</c>
/// with <c>model</c> and <c>model_args_extra</c> beside it).
/// </summary>
internal static class AccuracyReader
{
    public static readonly IReadOnlyList<string> Models = ["local-completions", "local-chat-completions"];

    public const string DefaultModelArgs = "num_concurrent=512,max_retries=3,tokenized_requests=false,timeout=1200,max_gen_toks=256,max_length=4096";

    public static AccuracySection Read(YamlSection s)
    {
        if (!s.Exists)
            return new AccuracySection(false, [new AccuracyTask("gsm8k", Models[0], DefaultModelArgs)], new Dictionary<string, string>());
        var enabled = s.Bool("enable_accuracy_test") ?? false;
        var envVar = ReadStringMap(s, "env_var", Names.EnvVar);
        var flatModel = s.OneOf("model", Models) ?? Models[0];
        var flatArgs = s.String("model_args_extra") ?? DefaultModelArgs;
        var tasks = new List<AccuracyTask>();
        var form = AccuracyForm.Legacy;
        switch (s.Raw("tasks"))
        {
            case null:
                tasks.Add(new AccuracyTask("gsm8k", flatModel, flatArgs));
                break;
            case YamlScalarNode legacy:
                foreach (var name in (legacy.Value ?? "").Split([',', ' '], StringSplitOptions.RemoveEmptyEntries))
                    if (s.CheckName(legacy, "tasks", name, Names.Task)) tasks.Add(new AccuracyTask(name, flatModel, flatArgs));
                break;
            case YamlMappingNode:
                form = AccuracyForm.Tasks;
                var taskSection = s.Section("tasks");
                foreach (var name in taskSection.Keys.ToList())
                {
                    if (!taskSection.CheckName(taskSection.KeyNode(name), name, name, Names.Task)) continue;
                    var t = taskSection.Section(name);
                    if (!t.Exists)
                    {
                        taskSection.Error(taskSection.Raw(name), name, "expected a mapping {model, model_args_extra, extra_kwargs}");
                        continue;
                    }
                    tasks.Add(new AccuracyTask(name, t.OneOf("model", Models) ?? Models[0], t.String("model_args_extra") ?? flatArgs)
                    {
                        ExtraKwargs = ReadStringMap(t, "extra_kwargs", Names.Option).ToList(),
                    });
                    t.ReportUnknownKeys();
                }
                break;
            case var other:
                s.Error(other, "tasks", "expected a task name (legacy form, e.g. gsm8k) or a mapping of task name to settings");
                break;
        }
        if (tasks.Count > InputLimits.MaxAccuracyTasks)
            s.Error(s.Raw("tasks"), "tasks", $"has {tasks.Count} tasks; the limit is {InputLimits.MaxAccuracyTasks} (docs/limits.md)");
        s.ReportUnknownKeys();
        return new AccuracySection(enabled, tasks, envVar) { Form = form };
    }

    /// <summary>A mapping of scalars kept in file order; every key must pass <paramref name="keyRule"/> (see <see cref="Names"/>).</summary>
    internal static IReadOnlyDictionary<string, string> ReadStringMap(YamlSection s, string key, Func<string, string?> keyRule)
    {
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        var map = s.Section(key);
        foreach (var k in map.Keys.ToList())
        {
            if (!map.CheckName(map.KeyNode(k), k, k, keyRule)) continue;
            var v = map.Raw(k);
            if (v is null) result[k] = "";
            else if (v is YamlScalarNode scalar) { if (map.CheckText(scalar, k, scalar.Value ?? "")) result[k] = scalar.Value ?? ""; }
            else map.Error(v, k, "expected a string, number or boolean");
        }
        EnvString.CheckSize(s, map.Node, key, result);
        return result;
    }
}
