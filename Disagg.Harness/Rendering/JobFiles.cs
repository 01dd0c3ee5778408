namespace Disagg.Harness.Rendering;

/// <summary>
/// The one source of truth for file names in a job workspace. The renderer writes them, the monitor
/// follows them, the parser reads them and the packager collects them: none spells a name itself.
/// </summary>
public static class JobFiles
{
    public const string BatchScript = "job.sbatch";
    public const string BenchmarkScript = "run_benchmark.sh";
    public const string CtxConfig = "ctx_config.yaml";
    public const string GenConfig = "gen_config.yaml";
    public const string ServerConfig = "server_config.yaml";
    public const string Allocations = "allocations.json";
    public const string JobMetadata = "job_meta.env";
    public const string ResolvedConfig = "resolved_config.json";
    public const string Phases = "job_phases.log";
    public const string DisaggServerLog = "disagg_server.log";
    public const string BenchmarkLog = "benchmark.log";
    public const string InstallLog = "install.log";
    public const string ResultJson = "result.json";
    public const string SystemFacts = "system_facts.txt";

    public static string AccuracyLog(string task) => $"accuracy_eval_{task}.log";

    // The failure-diagnosis package (Rendering/PackagingFunctions.cs writes it in the job, Diagnostics/ in the runner).
    public const string DiagnosisSummary = "summary.txt";
    public const string NvidiaSmi = "nvidia_smi.txt";
    public const string Processes = "processes.txt";
    public const string DiskUsage = "disk_usage.txt";
    public const string FilteredEnvironment = "environment.txt";
    public const string SlurmState = "slurm_state.txt";
    public const string RunnerLog = "runner.log";
    /// <summary>The glob CI archives (examples/ci): every package of every test under the results folder.</summary>
    public const string DiagnosisArchiveGlob = "**/job_*_*.tar.gz";
    public static string DiagnosisArchive(string jobId, string status, DateOnly utcDate) => $"job_{jobId}_{status}_{utcDate:yyyyMMdd}.tar.gz";

    public static string WorkerLog(string role, int index) => $"{role}_server_{index}.log";
    public static string WorkerLauncher(string role, int index) => $"start_{role}_server_{index}.sh";
    public const string DisaggServerLauncher = "start_disagg_server.sh";
    /// <summary>Compact packing (upstream's names): a mapped server's hostfile and per-rank GPU map; role upper-case as upstream's.</summary>
    public static string Hostfile(string role, int index) => $"hostfile_{role.ToUpperInvariant()}_{index}.txt";
    public static string GpuMap(string role, int index) => $"gpu_map_{role.ToUpperInvariant()}_{index}.txt";
    public const string MpiWorkerHostfile = "hostfile_mpi_worker.txt";
    public const string MpiWorkerGpuMap = "gpu_map_mpi_worker.txt";
    public const string DwdpLauncher = "start_dwdp_workers.sh";
    public const string DwdpLog = "dwdp_workers.log";
    public const string MpiWorkerConfig = "mpi_worker_config.yaml";
    public static string DoneMarker(string jobId) => $"done_{jobId}.txt";
    public static string Heartbeat(string jobId) => $"runner_{jobId}.heartbeat";
    public static string SlurmOut(string jobId) => $"slurm-{jobId}.out";
    public static string SlurmErr(string jobId) => $"slurm-{jobId}.err";
    public static string ConcurrencyDir(int concurrency) => $"concurrency_{concurrency}";
    /// <summary>Where the runner asks the job's benchmark driver for repeats (<c>request_N</c>) and ends confirmation (<c>end</c>).</summary>
    public const string ConfirmDir = "confirm";
    public const string ConfirmEnd = "end";
    public static string ConfirmRequest(int n) => $"request_{n}";

    /// <summary>Logs in which a fatal line means a server or the client died.</summary>
    public static IEnumerable<string> ServerLogs(int ctxServers, int genServers) =>
        Enumerable.Range(0, ctxServers).Select(i => WorkerLog("ctx", i))
            .Concat(Enumerable.Range(0, genServers).Select(i => WorkerLog("gen", i)))
            .Append(DisaggServerLog);
}
