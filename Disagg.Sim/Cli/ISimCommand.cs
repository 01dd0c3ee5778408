namespace Disagg.Sim.Cli;

/// <summary>One verb of the simulator (<c>worker</c>, <c>disagg-server</c>, <c>benchmark</c>, <c>gen-dataset</c>).</summary>
internal interface ISimCommand
{
    CommandSpec Spec { get; }

    /// <summary>Runs the verb and returns the process exit code.</summary>
    Task<int> RunAsync(ParsedArgs args, CancellationToken cancellationToken);
}
