using System.Text;
using Disagg.Harness.Cluster;
using Disagg.Harness.Common;
using Disagg.Harness.Configuration;

namespace Disagg.Harness.Rendering;

/// <summary>One lm_eval step per accuracy task against the disagg server (job-layout.md §5).</summary>
public static class AccuracySteps
{
    public static void Append(StringBuilder sb, DisaggConfig config, ClusterProfile profile, RenderContext context, string container)
    {
        if (!config.Accuracy.Enabled) return;
        var template = profile.Commands.Accuracy
            ?? throw new ConfigException([new ConfigError(config.SourceFile, 0, 0, "accuracy.enable_accuracy_test",
                $"accuracy is enabled but cluster profile {profile.SourceFile} has no commands.accuracy (lm_eval) template")]);
        foreach (var task in config.Accuracy.Tasks)
        {
            var endpoint = task.Model == "local-chat-completions" ? "v1/chat/completions" : "v1/completions";
            var modelPath = string.IsNullOrEmpty(config.Environment.ModelPath) ? config.Metadata.ModelName : config.Environment.ModelPath;
            // The step runs as bash -c '<command>' "$DISAGG_HOST" "$DISAGG_PORT": host and port arrive as $0 and $1.
            var args = BashQuote.Quote($"model={modelPath},base_url=http://") + "\"$0\":\"$1\"" +
                       BashQuote.Quote($"/{endpoint}" + (task.ModelArgsExtra.Length > 0 ? "," + task.ModelArgsExtra : ""));
            var command = CommandTemplate.Fill(template, new Dictionary<string, string>(StringComparer.Ordinal)
            {
                ["task"] = BashQuote.Quote(task.Name),
                ["accuracy_model"] = BashQuote.Quote(task.Model),
                ["model_args"] = args,
                ["output"] = BashQuote.Quote(Path.Combine(context.Workspace, $"accuracy_eval_{task.Name}")),
            });
            // The task name is checked when the config is loaded (Names.Task); the step and log names are quoted all the same.
            sb.Append("run_step ").Append(BashQuote.Quote("accuracy_" + task.Name)).Append(' ').Append(BashQuote.Quote(JobFiles.AccuracyLog(task.Name)))
              .Append(" -l --nodelist=\"${NODES[0]}\" -N 1 --ntasks=1 --ntasks-per-node=1 --overlap --mpi=").Append(profile.Mpi).Append(container)
              .Append(" bash -c ").Append(BashQuote.Quote(command)).AppendLine(" \"$DISAGG_HOST\" \"$DISAGG_PORT\"");
        }
    }
}
