using System.Globalization;
using Disagg.Sim.Common;
using YamlDotNet.RepresentationModel;

namespace Disagg.Sim.DisaggServer;

/// <summary>
/// Reads the disagg server YAML with trtllm-serve's rules: defaults (<c>localhost</c>, 8000, one instance,
/// round robin), <c>len(urls) == num_instances</c> (exact ValueError text), <c>host:port</c> URLs.
/// </summary>
internal static class DisaggServerConfigLoader
{
    private static readonly string[] Routers = ["round_robin", "load_balancing"];

    public static DisaggServerConfig Load(string path)
    {
        var file = YamlFile.Load(path);
        var root = file.Root;
        var hostname = file.String(root, "hostname", string.Empty) ?? "localhost";
        var port = file.Int(root, "port", string.Empty) ?? 8000;
        var context = ReadGroup(file, "context_servers", allowEmpty: GenOnlyMode);
        var generation = ReadGroup(file, "generation_servers", allowEmpty: false);
        return new DisaggServerConfig(hostname, port, context, generation);
    }

    /// <summary><c>TRTLLM_DISAGG_BENCHMARK_GEN_ONLY=1</c>: no context servers; requests go straight to generation.</summary>
    public static bool GenOnlyMode => Environment.GetEnvironmentVariable("TRTLLM_DISAGG_BENCHMARK_GEN_ONLY") == "1";

    private static ServerGroup ReadGroup(YamlFile file, string key, bool allowEmpty)
    {
        var section = file.Mapping(file.Root, key, string.Empty);
        if (section is null)
        {
            return allowEmpty
                ? new ServerGroup(0, [], "round_robin")
                : throw ConfigException.At(file.Path, file.Root.Start.Line, $"'{key}' section is required");
        }

        var numInstances = file.Int(section, "num_instances", key + ".") ?? 1;
        var urls = ReadUrls(file, section, key);
        if (urls.Count != numInstances)
        {
            throw PythonErrors.DisaggValue($"Number of hostnames ({urls.Count}) should be equal to the number of instances ({numInstances})");
        }

        if (numInstances == 0 && !allowEmpty)
        {
            throw ConfigException.At(file.Path, section.Start.Line, $"{key} needs at least one instance");
        }

        var routerSection = file.Mapping(section, "router", key + ".");
        var router = routerSection is null ? "round_robin" : file.String(routerSection, "type", key + ".router.") ?? "round_robin";
        if (!Routers.Contains(router, StringComparer.Ordinal))
        {
            throw ConfigException.At(file.Path, routerSection!.Start.Line,
                $"{key}.router.type '{router}' is not supported; use one of {string.Join(", ", Routers)}");
        }

        return new ServerGroup(numInstances, urls, router);
    }

    private static List<WorkerEndpoint> ReadUrls(YamlFile file, YamlMappingNode section, string key)
    {
        var node = YamlFile.Child(section, "urls");
        if (YamlFile.IsNull(node))
        {
            return [];
        }

        if (node is not YamlSequenceNode list)
        {
            throw file.Error(node!, $"{key}.urls must be a list of host:port");
        }

        var urls = new List<WorkerEndpoint>();
        foreach (var item in list.Children)
        {
            var text = (item as YamlScalarNode)?.Value ?? string.Empty;
            var colon = text.IndexOf(':', StringComparison.Ordinal);
            if (colon <= 0 || !int.TryParse(text[(colon + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out var port) || port is < 1 or > 65535)
            {
                throw file.Error(item, $"{key}.urls entry '{text}' must be host:port");
            }

            urls.Add(new WorkerEndpoint(text[..colon], port));
        }

        return urls;
    }
}
