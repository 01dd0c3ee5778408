namespace Disagg.Sim.Cli;

/// <summary>One command-line flag of a verb.</summary>
internal sealed record FlagSpec(string Name, FlagArity Arity, string Help)
{
    /// <summary>Other spellings, e.g. <c>-c</c> for <c>--config</c>.</summary>
    public IReadOnlyList<string> Aliases { get; init; } = [];

    /// <summary>Placeholder shown in help, e.g. <c>PORT</c>.</summary>
    public string? Metavar { get; init; }

    /// <summary>The flag must be given.</summary>
    public bool Required { get; init; }

    /// <summary>Allowed values, if restricted.</summary>
    public IReadOnlyList<string>? Choices { get; init; }

    /// <summary>Python-style destination name: <c>--num-prompts</c> gives <c>num_prompts</c>.</summary>
    public string Dest => Name.TrimStart('-').Replace('-', '_');

    /// <summary>The name plus every alias.</summary>
    public IEnumerable<string> AllNames => [Name, .. Aliases];

    public static FlagSpec Switch(string name, string help) => new(name, FlagArity.Switch, help);

    public static FlagSpec Value(string name, string metavar, string help) =>
        new(name, FlagArity.Single, help) { Metavar = metavar };
}
