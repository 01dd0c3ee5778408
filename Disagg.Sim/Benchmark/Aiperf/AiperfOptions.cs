namespace Disagg.Sim.Benchmark.Aiperf;

/// <summary>The flags of one <c>aiperf profile</c> run, as run_benchmark_aiperf.sh passes them.</summary>
internal sealed record AiperfOptions
{
    public required string Model { get; init; }

    public required string Url { get; init; }

    public required string InputFile { get; init; }

    public required string ArtifactDir { get; init; }

    public int Concurrency { get; init; } = 1;

    public double RampDurationS { get; init; }

    public double BenchmarkDurationS { get; init; } = double.PositiveInfinity;

    public double GracePeriodS { get; init; } = 30;

    public int? RequestCount { get; init; }

    public double RequestTimeoutS { get; init; } = 600;

    public bool IgnoreEos { get; init; }

    public string Ui { get; init; } = "dashboard";

    /// <summary>The command line as given, for the export's <c>cli_command</c> and the console summary.</summary>
    public string CommandLine { get; init; } = "aiperf profile";
}
