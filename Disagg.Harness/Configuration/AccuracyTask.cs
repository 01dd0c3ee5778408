using YamlDotNet.RepresentationModel;

namespace Disagg.Harness.Configuration;

public sealed record AccuracyTask(string Name, string Model, string ModelArgsExtra)
{
    /// <summary><c>extra_kwargs</c> in file order; <c>true</c> becomes <c>--key</c>, other values <c>--key='value'</c>.</summary>
    public IReadOnlyList<KeyValuePair<string, string>> ExtraKwargs { get; init; } = [];

    /// <summary><c>v1/completions</c> for local-completions, <c>v1/chat/completions</c> for local-chat-completions.</summary>
    public string Endpoint => Model == "local-chat-completions" ? "v1/chat/completions" : "v1/completions";
}
