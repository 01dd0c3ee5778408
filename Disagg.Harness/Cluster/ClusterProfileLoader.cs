using System.Globalization;
using Disagg.Harness.Common;
using Disagg.Harness.Configuration;
using YamlDotNet.RepresentationModel;

namespace Disagg.Harness.Cluster;

/// <summary>
/// Reads a cluster profile YAML (see <c>clusters/*.yaml</c>). <c>{repo}</c> in any value is the repository
/// root and <c>${NAME}</c> an environment variable, so checked-in profiles work from any clone.
/// </summary>
public static partial class ClusterProfileLoader
{
    public static ClusterProfile Load(string path, string repoRoot)
    {
        var errors = new List<ConfigError>();
        var stream = YamlText.Load(InputFile.Read(path, "cluster profile"), path, errors);
        var root = stream?.Documents.FirstOrDefault()?.RootNode as YamlMappingNode;
        if (root is null)
        {
            if (errors.Count == 0) errors.Add(new ConfigError(path, 1, 1, "", "expected a mapping"));
            throw new ConfigException(errors);
        }

        var s = new YamlSection(path, "", root, errors);
        string Expand(string? v) => Expand2(v ?? "", repoRoot, quote: false);
        var transport = s.Enum("transport", new Dictionary<string, Transport> { ["local"] = Transport.Local, ["ssh"] = Transport.Ssh }) ?? Transport.Local;
        var addressing = s.Enum("node_address",
            new Dictionary<string, NodeAddressing> { ["hostname"] = NodeAddressing.Hostname, ["nodeaddr"] = NodeAddressing.NodeAddr })
            ?? NodeAddressing.Hostname;
        var portText = s.String("port_base") ?? "8000";
        int? portBase = portText == "per_job" ? null
            : int.TryParse(portText, NumberStyles.None, CultureInfo.InvariantCulture, out var p) && p is > 0 and <= MaxPortBase ? p
            : Bad(s, "port_base", portText);
        var commands = s.Section("commands", required: true);
        // In command templates the expansions are shell words: a clone at "/home/a b" or a variable holding
        // "$(...)" must stay one literal word (BashQuote leaves ordinary paths unchanged).
        string Command(string key, bool required = false) =>
            commands.String(key, required) is { } template && CheckCommand(commands, key, template) ? Expand2(template, repoRoot, quote: true) : "";
        var templates = new CommandTemplates(
            Command("worker", required: true),
            Command("disagg_server", required: true),
            Command("benchmark_client", required: true),
            commands.Bool("rank0_only") ?? false,
            commands.Raw("accuracy") is null ? null : Command("accuracy"))
        {
            NvSaClient = commands.Raw("benchmark_client_nv_sa") is null ? null : Command("benchmark_client_nv_sa"),
            AiperfClient = commands.Raw("benchmark_client_aiperf") is null ? null : Command("benchmark_client_aiperf"),
            DwdpWorker = commands.Raw("dwdp_worker") is null ? null : Command("dwdp_worker"),
        };
        commands.ReportUnknownKeys();
        var env = new Dictionary<string, string>(StringComparer.Ordinal);
        var envSection = s.Section("job_env");
        foreach (var key in envSection.Keys.ToList())
            if (envSection.CheckName(envSection.KeyNode(key), key, key, Names.EnvVar)) env[key] = Expand(envSection.String(key));
        var name = s.String("name") ?? Path.GetFileNameWithoutExtension(path);
        s.CheckName(s.Raw("name"), "name", name, Names.Word);
        var partition = s.String("partition") ?? "";
        var account = s.String("account") ?? "";
        if (partition.Length > 0) s.CheckName(s.Raw("partition"), "partition", partition, Names.SlurmName);
        if (account.Length > 0) s.CheckName(s.Raw("account"), "account", account, Names.SlurmName);
        var mpi = s.String("mpi") ?? "pmix";
        s.CheckName(s.Raw("mpi"), "mpi", mpi, Names.Mpi);
        var poll = s.Double("poll_interval_s") ?? 2;
        if (poll is < 0.1 or > 3600) s.Error(s.Raw("poll_interval_s"), "poll_interval_s", $"must be from 0.1 to 3600 seconds, got {poll}");
        SshSettings? ssh = null;
        var sshSection = s.Section("ssh");
        if (sshSection.Exists)
        {
            var jumpSection = sshSection.Section("jump");
            var jump = jumpSection.Exists ? ReadSsh(jumpSection, Expand, jump: null) : null;
            ssh = ReadSsh(sshSection, Expand, jump);
        }
        var workspaceRoot = Expand(s.String("workspace_root"));
        if (workspaceRoot.Contains('"', StringComparison.Ordinal) || workspaceRoot.Contains('\n', StringComparison.Ordinal))
            s.Error(s.Raw("workspace_root"), "workspace_root", "may not contain a double quote or a line break (it is an #SBATCH --output path)");
        var profile = new ClusterProfile(
            name,
            path,
            transport,
            partition,
            account,
            mpi,
            addressing,
            portBase,
            templates,
            env,
            ssh,
            workspaceRoot,
            TimeSpan.FromSeconds(poll));
        s.ReportUnknownKeys();
        if (errors.Count > 0) throw new ConfigException(errors);
        return profile;
    }

    /// <summary>
    /// The value of <c>ssh.key</c> that means "the keys in ssh-agent" (the agent named by SSH_AUTH_SOCK, reached
    /// through <see cref="SshAgent"/>; SSH.NET 2026.0.0 has no agent client of its own). It is not read as a file
    /// named "agent"; whether SSH_AUTH_SOCK is set and the agent holds keys is checked when connecting.
    /// </summary>
    public const string AgentKey = "agent";

    /// <summary>An <c>ssh:</c> or <c>ssh.jump:</c> section (same keys; a jump may not have a jump of its own).</summary>
    private static SshSettings ReadSsh(YamlSection s, Func<string?, string> expand, SshSettings? jump)
    {
        var key = expand(s.String("key", required: true));
        var settings = new SshSettings(
            expand(s.String("host", required: true)),
            SshPort(s, expand(s.String("port"))),
            expand(s.String("user", required: true)),
            key,
            expand(s.String("known_hosts", required: true)),
            s.Bool("trust_unknown_host") ?? false,
            jump);
        // The outer section's "jump" was read by the caller; inside ssh.jump it is reported as an unknown key.
        s.ReportUnknownKeys();
        return settings;
    }

    /// <summary>The port may come from the environment (<c>${DISAGG_SSH_PORT}</c>), so it is expanded before parsing.</summary>
    private static int SshPort(YamlSection s, string text)
    {
        if (text.Length == 0) return 22;
        if (int.TryParse(text, System.Globalization.NumberStyles.Integer, System.Globalization.CultureInfo.InvariantCulture, out var port)
            && port is > 0 and < 65536)
            return port;
        s.Error(s.Raw("port"), "port", $"expected a TCP port, got '{text}'");
        return 22;
    }

    /// <summary>The highest fixed <c>port_base</c>: a job's servers and its disagg server use ports above it.</summary>
    public const int MaxPortBase = 60000;

    private static int? Bad(YamlSection s, string key, string value)
    {
        s.Error(s.Raw(key), key, $"expected a port from 1 to {MaxPortBase} or 'per_job', got '{Names.Show(value)}'");
        return null;
    }

    /// <summary>Placeholders whose values come from a config: the renderer puts them in as quoted words.</summary>
    private static readonly string[] QuotedPlaceholders =
        ["{model_path}", "{config}", "{task}", "{accuracy_model}", "{model_args}", "{output}", "{extra_args}", "{prefix}", "{nsys}", "{numactl}"];

    /// <summary>
    /// A command template is one line of shell written by the profile's author; a line break would end it early.
    /// A placeholder filled from a config must stand outside quotes: its value arrives quoted, and a quoted word
    /// inside another pair of quotes would come out unquoted.
    /// </summary>
    private static bool CheckCommand(YamlSection commands, string key, string template)
    {
        if (template.Contains('\n', StringComparison.Ordinal) || template.Contains('\t', StringComparison.Ordinal))
        {
            commands.Error(commands.Raw(key), key, "must be one line (no line breaks or tabs): it is put into the job's scripts as one command");
            return false;
        }
        var quote = '\0';
        for (var i = 0; i < template.Length; i++)
        {
            var c = template[i];
            if (c == '\\' && quote != '\'' && i + 1 < template.Length) { i++; continue; }
            if (quote == '\0' && c is '\'' or '"') quote = c;
            else if (c == quote) quote = '\0';
            else if (quote != '\0' && c == '{' && QuotedPlaceholders.FirstOrDefault(x => template.AsSpan(i).StartsWith(x, StringComparison.Ordinal)) is { } p)
            {
                commands.Error(commands.Raw(key), key, $"has {p} inside quotes; write it unquoted (the renderer quotes the value it puts there)");
                return false;
            }
        }
        return true;
    }

    /// <summary>
    /// <c>{repo}</c> and <c>${NAME}</c> in one pass, so an expanded value is never scanned again. With
    /// <paramref name="quote"/> each expansion is one bash word (<see cref="BashQuote"/>).
    /// </summary>
    private static string Expand2(string value, string repoRoot, bool quote) =>
        ExpansionPattern().Replace(value, m =>
        {
            var expanded = m.Groups[1].Success ? System.Environment.GetEnvironmentVariable(m.Groups[1].Value) ?? "" : repoRoot;
            return quote && expanded.Length > 0 ? BashQuote.Quote(expanded) : expanded;
        });

    [System.Text.RegularExpressions.GeneratedRegex(@"\$\{([A-Za-z_][A-Za-z0-9_]*)\}|\{repo\}")]
    private static partial System.Text.RegularExpressions.Regex ExpansionPattern();
}
