namespace Disagg.Harness.Configuration;

/// <summary>
/// Upper bounds on everything a config, test list or cluster profile can make the harness do, checked when
/// the file is loaded so a careless or hostile file is refused in milliseconds instead of exhausting the
/// machine. Each limit is far above any real cluster or config (docs/limits.md lists them with the reasons);
/// raise one here if a real case ever needs it.
/// </summary>
public static class InputLimits
{
    /// <summary>Bytes of one config, test list or profile file (real configs are 2-6 KiB).</summary>
    public const int MaxFileBytes = 256 * 1024;

    /// <summary>Nesting of YAML mappings and lists (real configs nest 5 levels).</summary>
    public const int MaxNestingDepth = 64;

    /// <summary>YAML nodes of one file once every alias is expanded (real configs have ~200).</summary>
    public const long MaxExpandedNodes = 50_000;

    /// <summary>Characters of scalar text of one file once every alias is expanded.</summary>
    public const long MaxExpandedChars = 1024 * 1024;

    /// <summary>Characters of one string the harness reads (paths, names, environment values).</summary>
    public const int MaxStringLength = 4096;

    /// <summary>Characters of one environment section (<c>worker_env_var</c>, <c>benchmark.env_var</c>, ...), names and values.</summary>
    public const int MaxEnvironmentChars = 16 * 1024;

    /// <summary>Characters of a name: an environment variable, an accuracy task, a job name, a partition.</summary>
    public const int MaxNameLength = 128;

    /// <summary>Context or generation servers of one role (real jobs run at most a few dozen).</summary>
    public const int MaxServersPerRole = 256;

    /// <summary><c>hardware.gpus_per_node</c> (real nodes have 4 or 8).</summary>
    public const int MaxGpusPerNode = 128;

    /// <summary>Tensor, pipeline, context or expert parallel size, and tp x pp x cp of one server.</summary>
    public const int MaxWorldSize = 4096;

    /// <summary>Nodes of one job (ctx nodes + gen nodes).</summary>
    public const int MaxNodes = 2048;

    /// <summary>One effective concurrency (list value x num_gen_servers).</summary>
    public const int MaxConcurrency = 1024 * 1024;

    /// <summary>Values in <c>benchmark.concurrency_list</c>.</summary>
    public const int MaxConcurrencyValues = 64;

    /// <summary><c>benchmark.multi_round</c>.</summary>
    public const int MaxMultiRound = 1000;

    /// <summary>Token counts: input/output length, max_seq_len, max_num_tokens, max_batch_size, buffer sizes.</summary>
    public const int MaxTokens = 16 * 1024 * 1024;

    /// <summary>Small counts: MTP layers, EPLB slots.</summary>
    public const int MaxSmallCount = 65536;

    /// <summary>Accuracy tasks of one config (each is a job step; real configs run one to three).</summary>
    public const int MaxAccuracyTasks = 32;

    /// <summary><c>slurm.job_time</c>.</summary>
    public static readonly TimeSpan MaxJobTime = TimeSpan.FromDays(30);
}
