using System.Text;
using Disagg.Harness.Cluster;
using Disagg.Harness.Common;
using Disagg.Harness.Configuration;

namespace Disagg.Harness.Rendering;

/// <summary>
/// One lm_eval step per accuracy task against the disagg server, with upstream submit.py's
/// extras: <c>accuracy.env_var</c> exported for the step, and each task's <c>extra_kwargs</c> appended as
/// <c>--key</c> (true; false adds nothing), <c>--include_path=DIR</c> (<c>custom_config</c>: the task file staged into
/// the workspace with every env_var name in it replaced by its value) or <c>--key='value'</c>.
/// </summary>
public static class AccuracySteps
{
    /// <summary>Where a task's custom_config is staged, relative to the workspace.</summary>
    public static string StagedConfigDir(string task) => $"lm_eval_configs/{task}";

    public static void Append(StringBuilder sb, DisaggConfig config, ClusterProfile profile, RenderContext context, string container)
    {
        if (!config.Accuracy.Enabled) return;
        var template = profile.Commands.Accuracy
            ?? throw Error(config, "accuracy.enable_accuracy_test",
                $"accuracy is enabled but cluster profile {profile.SourceFile} has no commands.accuracy (lm_eval) template");
        var exports = new StringBuilder();
        foreach (var (name, value) in config.Accuracy.EnvVar)
        {
            // Checked when the config is loaded, at its line; a config built in code is refused here too.
            if (Names.EnvVar(name) is { } badName) throw Error(config, $"accuracy.env_var.{name}", badName);
            exports.Append("export ").Append(name).Append('=').Append(BashQuote.Quote(value)).Append("; ");
        }
        var staged = false;
        foreach (var task in config.Accuracy.Tasks)
        {
            var extra = new StringBuilder();
            foreach (var (key, value) in task.ExtraKwargs)
            {
                if (Names.Option(key) is { } badKey) throw Error(config, $"accuracy.tasks.{task.Name}.extra_kwargs.{key}", badKey);
                if (key == "custom_config")
                {
                    if (!staged) AppendStagingFunction(sb);
                    staged = true;
                    var dir = Path.Combine(context.Workspace, StagedConfigDir(task.Name));
                    sb.Append("stage_task_config ").Append(BashQuote.Quote(TaskConfigPath(config, task, value))).Append(' ').Append(BashQuote.Quote(dir));
                    foreach (var (name, v) in config.Accuracy.EnvVar) sb.Append(' ').Append(BashQuote.Quote($"{name}={v}"));
                    sb.Append(" || fail ").AppendLine(BashQuote.Quote($"cannot stage custom_config {value} of accuracy task {task.Name}"));
                    extra.Append(" --include_path=").Append(BashQuote.Quote(dir));
                }
                else if (value.Equals("true", StringComparison.OrdinalIgnoreCase)) extra.Append(" --").Append(key);
                else if (!value.Equals("false", StringComparison.OrdinalIgnoreCase)) extra.Append(" --").Append(key).Append('=').Append(BashQuote.Quote(value));
            }
            var modelPath = string.IsNullOrEmpty(config.Environment.ModelPath) ? config.Metadata.ModelName : config.Environment.ModelPath;
            // The step runs as bash -c '<command>' "$DISAGG_HOST" "$DISAGG_PORT": host and port arrive as $0 and $1.
            var args = BashQuote.Quote($"model={modelPath},base_url=http://") + "\"$0\":\"$1\"" +
                       BashQuote.Quote($"/{task.Endpoint}" + (task.ModelArgsExtra.Length > 0 ? "," + task.ModelArgsExtra : ""));
            var command = CommandTemplate.Fill(template, new Dictionary<string, string>(StringComparer.Ordinal)
            {
                ["task"] = BashQuote.Quote(task.Name),
                ["accuracy_model"] = BashQuote.Quote(task.Model),
                ["model_args"] = args,
                ["output"] = BashQuote.Quote(Path.Combine(context.Workspace, $"accuracy_eval_{task.Name}")),
                ["extra_args"] = extra.ToString().TrimStart(),
            });
            if (!template.Contains("{extra_args}", StringComparison.Ordinal)) command += extra;
            command = exports + command;
            // The task name is checked when the config is loaded (Names.Task); the step and log names are quoted all the same.
            sb.Append("run_step ").Append(BashQuote.Quote("accuracy_" + task.Name)).Append(' ').Append(BashQuote.Quote(JobFiles.AccuracyLog(task.Name)))
              .Append(" -l --nodelist=\"$DISAGG_NODE\" -N 1 --ntasks=1 --ntasks-per-node=1 --overlap --mpi=").Append(profile.Mpi).Append(container)
              .Append(" bash -c ").Append(BashQuote.Quote(command)).AppendLine(" \"$DISAGG_HOST\" \"$DISAGG_PORT\"");
        }
    }

    /// <summary>
    /// stage_task_config &lt;task file&gt; &lt;dir&gt; NAME=value...: the task file (and a utils.py beside it, which custom
    /// tasks such as GPQA import) copied into dir with every NAME replaced by its value, all of them (upstream replaces
    /// only the last one). Bash's own substitution, so values need no escaping.
    /// </summary>
    private static void AppendStagingFunction(StringBuilder sb) => sb.Append("""
        stage_task_config() {
          local src=$1 dir=$2 content pair; shift 2
          mkdir -p "$dir" && content=$(<"$src") || return 1
          for pair in "$@"; do content=${content//"${pair%%=*}"/"${pair#*=}"}; done
          printf '%s\n' "$content" > "$dir/$(basename "$src")" || return 1
          if [ -f "$(dirname "$src")/utils.py" ]; then cp "$(dirname "$src")/utils.py" "$dir/"; fi
        }

        """);

    /// <summary>A relative custom_config is relative to the TensorRT-LLM tree (upstream CI runs from its root).</summary>
    private static string TaskConfigPath(DisaggConfig config, AccuracyTask task, string path)
    {
        if (path.StartsWith('/')) return path;
        if (config.Environment.TrtllmRepo.Length > 0) return config.Environment.TrtllmRepo.TrimEnd('/') + "/" + path;
        throw Error(config, $"accuracy.tasks.{task.Name}.extra_kwargs.custom_config",
            $"'{path}' is relative; give the task file's absolute path on the cluster, or set environment.trtllm_repo (DISAGG_TRTLLM_REPO) it is relative to");
    }

    private static ConfigException Error(DisaggConfig config, string key, string message) =>
        new([new ConfigError(config.SourceFile, 0, 0, key, message)]);
}
