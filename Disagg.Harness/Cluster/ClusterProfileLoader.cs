using Disagg.Harness.Configuration;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Disagg.Harness.Cluster;

/// <summary>
/// Reads a cluster profile YAML (see <c>clusters/*.yaml</c>). <c>{repo}</c> in any value is the repository
/// root and <c>${NAME}</c> an environment variable, so checked-in profiles work from any clone.
/// </summary>
public static class ClusterProfileLoader
{
    public static ClusterProfile Load(string path, string repoRoot)
    {
        var errors = new List<ConfigError>();
        YamlMappingNode? root = null;
        try
        {
            var stream = new YamlStream();
            stream.Load(new StringReader(File.ReadAllText(path)));
            root = stream.Documents.FirstOrDefault()?.RootNode as YamlMappingNode;
            if (root is null) errors.Add(new ConfigError(path, 1, 1, "", "expected a mapping"));
        }
        catch (YamlException e)
        {
            errors.Add(new ConfigError(path, (int)e.Start.Line, (int)e.Start.Column, "", $"malformed YAML: {e.InnerException?.Message ?? e.Message}"));
        }
        catch (IOException e)
        {
            errors.Add(new ConfigError(path, 0, 0, "", $"cannot read the cluster profile: {e.Message}"));
        }
        if (root is null) throw new ConfigException(errors);

        var s = new YamlSection(path, "", root, errors);
        string Expand(string? v) => Expand2(v ?? "", repoRoot);
        var transport = s.Enum("transport", new Dictionary<string, Transport> { ["local"] = Transport.Local, ["ssh"] = Transport.Ssh }) ?? Transport.Local;
        var addressing = s.Enum("node_address", new Dictionary<string, NodeAddressing> { ["hostname"] = NodeAddressing.Hostname, ["nodeaddr"] = NodeAddressing.NodeAddr }) ?? NodeAddressing.Hostname;
        var portText = s.String("port_base") ?? "8000";
        int? portBase = portText == "per_job" ? null : int.TryParse(portText, out var p) ? p : Bad(s, "port_base", portText);
        var commands = s.Section("commands", required: true);
        var templates = new CommandTemplates(
            Expand(commands.String("worker", required: true)),
            Expand(commands.String("disagg_server", required: true)),
            Expand(commands.String("benchmark_client", required: true)),
            commands.Bool("rank0_only") ?? false,
            commands.String("accuracy") is { } accuracy ? Expand(accuracy) : null)
        {
            NvSaClient = commands.String("benchmark_client_nv_sa") is { } sa ? Expand(sa) : null,
            DwdpWorker = commands.String("dwdp_worker") is { } dwdp ? Expand(dwdp) : null,
        };
        commands.ReportUnknownKeys();
        var env = new Dictionary<string, string>(StringComparer.Ordinal);
        var envSection = s.Section("job_env");
        foreach (var key in envSection.Keys.ToList()) env[key] = Expand(envSection.String(key));
        SshSettings? ssh = null;
        var sshSection = s.Section("ssh");
        if (sshSection.Exists)
        {
            var jumpSection = sshSection.Section("jump");
            var jump = jumpSection.Exists ? ReadSsh(jumpSection, Expand, jump: null) : null;
            ssh = ReadSsh(sshSection, Expand, jump);
        }
        var profile = new ClusterProfile(
            s.String("name") ?? Path.GetFileNameWithoutExtension(path),
            path,
            transport,
            s.String("partition") ?? "",
            s.String("account") ?? "",
            s.String("mpi") ?? "pmix",
            addressing,
            portBase,
            templates,
            env,
            ssh,
            Expand(s.String("workspace_root")),
            TimeSpan.FromSeconds(s.Double("poll_interval_s") ?? 2));
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
        if (int.TryParse(text, System.Globalization.NumberStyles.Integer, System.Globalization.CultureInfo.InvariantCulture, out var port) && port is > 0 and < 65536)
            return port;
        s.Error(s.Raw("port"), "port", $"expected a TCP port, got '{text}'");
        return 22;
    }

    private static int? Bad(YamlSection s, string key, string value)
    {
        s.Error(s.Raw(key), key, $"expected an integer port or 'per_job', got '{value}'");
        return null;
    }

    private static string Expand2(string value, string repoRoot)
    {
        value = value.Replace("{repo}", repoRoot, StringComparison.Ordinal);
        return System.Text.RegularExpressions.Regex.Replace(value, @"\$\{([A-Za-z_][A-Za-z0-9_]*)\}",
            m => System.Environment.GetEnvironmentVariable(m.Groups[1].Value) ?? "");
    }
}
