namespace Disagg.Sim.Cli;

/// <summary>How many values a flag takes.</summary>
internal enum FlagArity
{
    /// <summary>A boolean switch (argparse <c>store_true</c>).</summary>
    Switch,

    /// <summary>Exactly one value.</summary>
    Single,

    /// <summary>Zero or more values, up to the next flag (argparse <c>nargs="*"</c>).</summary>
    Multiple,
}
