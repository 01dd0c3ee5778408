namespace Disagg.Sim.Cli;

/// <summary>The grammar of one verb: its flags and optional positional arguments.</summary>
internal sealed record CommandSpec(string Verb, string Summary, IReadOnlyList<FlagSpec> Flags)
{
    /// <summary>Maximum number of positional arguments (0 = none allowed).</summary>
    public int MaxPositionals { get; init; }

    /// <summary>Name of the positional argument shown in help.</summary>
    public string? PositionalName { get; init; }

    /// <summary>Finds a flag by any of its spellings.</summary>
    public FlagSpec? Find(string name) =>
        Flags.FirstOrDefault(f => f.AllNames.Contains(name, StringComparer.Ordinal));

    /// <summary>Every spelling of every flag, plus <c>--help</c>.</summary>
    public IEnumerable<string> AllFlagNames => Flags.SelectMany(f => f.AllNames).Append("--help");
}
