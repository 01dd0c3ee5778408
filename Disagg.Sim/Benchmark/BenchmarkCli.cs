using Disagg.Harness.Common;
using Disagg.Sim.Cli;

namespace Disagg.Sim.Benchmark;

/// <summary>The benchmark verb's flags (benchmark_serving.py's, plus the run_benchmark.sh loop flags) and their reading.</summary>
internal static class BenchmarkCli
{
    private static readonly string[] Metrics = ["ttft", "tpot", "itl", "e2el"];

    public static readonly CommandSpec Spec = new(
        "benchmark",
        "Benchmark the online serving throughput (benchmark_serving.py lookalike). With --concurrency-list it runs the run_benchmark.sh loop.",
        [
            new FlagSpec("--model", FlagArity.Single, "name of the model") { Metavar = "MODEL", Required = true },
            new FlagSpec("--backend", FlagArity.Single, "openai (/v1/completions) or openai-chat (/v1/chat/completions)")
                { Metavar = "{openai,openai-chat}", Choices = ["openai", "openai-chat"] },
            FlagSpec.Value("--base-url", "URL", "server base url instead of http://host:port"),
            FlagSpec.Value("--host", "HOST", "server host (default: 127.0.0.1)"),
            FlagSpec.Value("--port", "PORT", "server port (default: 8000)"),
            FlagSpec.Value("--endpoint", "PATH", "API endpoint (default: /v1/completions)"),
            new FlagSpec("--dataset-name", FlagArity.Single, "dataset to benchmark on")
                { Metavar = "{random,trtllm_custom}", Choices = ["random", "trtllm_custom"] },
            FlagSpec.Value("--dataset-path", "PATH", "trtllm_custom JSONL file"),
            FlagSpec.Value("--max-concurrency", "N", "maximum number of requests in flight"),
            FlagSpec.Value("--tokenizer", "NAME", "tokenizer name (recorded only)"),
            FlagSpec.Value("--num-prompts", "N", "number of prompts to process (default: 1000)"),
            FlagSpec.Value("--request-rate", "RPS", "requests per second (default: inf)"),
            FlagSpec.Value("--burstiness", "FACTOR", "burstiness of request arrivals (default: 1.0)"),
            FlagSpec.Switch("--non-streaming", "disable streaming mode"),
            FlagSpec.Value("--seed", "SEED", "random seed (default: 0)"),
            FlagSpec.Switch("--trust-remote-code", "accepted for compatibility"),
            FlagSpec.Switch("--disable-tqdm", "do not print the progress bar"),
            FlagSpec.Switch("--save-result", "save the results to a JSON file"),
            FlagSpec.Switch("--save-detailed", "also save per-request arrays"),
            new FlagSpec("--metadata", FlagArity.Multiple, "KEY=VALUE pairs stored in the result JSON") { Metavar = "KEY=VALUE" },
            FlagSpec.Value("--result-dir", "DIR", "directory of the result JSON"),
            FlagSpec.Value("--result-filename", "FILE", "file name of the result JSON"),
            FlagSpec.Switch("--ignore-eos", "set ignore_eos in requests"),
            FlagSpec.Value("--percentile-metrics", "LIST", "metrics to report: ttft,tpot,itl,e2el (default: ttft,tpot,itl)"),
            FlagSpec.Value("--metric-percentiles", "LIST", "percentiles to report (default: 99)"),
            FlagSpec.Value("--random-input-len", "N", "input tokens per request, random dataset (default: 1024)"),
            FlagSpec.Value("--random-output-len", "N", "output tokens per request, random dataset (default: 128)"),
            FlagSpec.Value("--random-range-ratio", "R", "sample lengths in [len*(1-R), len*(1+R)] (default: 0.0)"),
            FlagSpec.Value("--random-prefix-len", "N", "fixed prefix tokens, random dataset (default: 0)"),
            FlagSpec.Switch("--random-ids", "generate random ids (accepted for compatibility)"),
            FlagSpec.Switch("--tokenize-on-client", "accepted for compatibility"),
            FlagSpec.Value("--served-model-name", "NAME", "model name used in the API"),
            FlagSpec.Switch("--no-test-input", "skip the initial single-prompt test run"),
            FlagSpec.Value("--temperature", "T", "sampling temperature (default: greedy)"),
            FlagSpec.Value("--concurrency-list", "'C1 C2 ...'", "run_benchmark.sh mode: space-separated concurrencies (each × --num-gen-servers)"),
            FlagSpec.Value("--multi-round", "N", "run_benchmark.sh mode: prompts = concurrency × N (default: 1)"),
            FlagSpec.Value("--num-gen-servers", "N", "run_benchmark.sh mode: concurrency multiplier (default: 1)"),
            FlagSpec.Value("--ucx-warmup-requests", "N", "run_benchmark.sh mode: warm-up requests before the runs (default: 0)"),
            FlagSpec.Value("--log-path", "DIR", "run_benchmark.sh mode: results go to DIR/concurrency_<c>/result.json"),
        ]);

    /// <summary>
    /// The SA client's flags (the vLLM-derived benchmark_serving.py run_benchmark_nv_sa.sh calls): no --backend, no
    /// trtllm_custom dataset, --use-chat-template, and --random-range-ratio drawing lengths from [len·r, len].
    /// </summary>
    public static readonly CommandSpec SaSpec = new(
        "benchmark-sa",
        "Benchmark the online serving throughput as the SA client does (random prompts, lengths in [len*r, len], chat template).",
        [
            .. Spec.Flags.Where(f => f.Name is "--model" or "--base-url" or "--host" or "--port" or "--endpoint" or "--max-concurrency" or "--tokenizer"
                or "--num-prompts" or "--request-rate" or "--burstiness" or "--non-streaming" or "--seed" or "--trust-remote-code" or "--disable-tqdm"
                or "--save-result" or "--save-detailed" or "--metadata" or "--result-dir" or "--result-filename" or "--ignore-eos"
                or "--percentile-metrics" or "--metric-percentiles" or "--random-input-len" or "--random-output-len" or "--served-model-name"),
            new FlagSpec("--dataset-name", FlagArity.Single, "dataset to benchmark on") { Metavar = "{random}", Choices = ["random"] },
            FlagSpec.Value("--random-range-ratio", "R", "sample lengths in [len*R, len] (default: 1.0)"),
            FlagSpec.Switch("--use-chat-template", "apply the chat template to the prompts"),
        ]);

    public static BenchmarkOptions ReadSaOptions(ParsedArgs a)
    {
        var options = Shared(a, rangeRatio: 1.0) with { NoTestInput = true, SaClient = true };
        Validate(options);
        return options;
    }

    private static readonly string[] LoopOnlyFlags = ["--multi-round", "--num-gen-servers", "--ucx-warmup-requests", "--log-path"];

    public static BenchmarkOptions ReadOptions(ParsedArgs a)
    {
        var options = Shared(a, rangeRatio: 0.0) with
        {
            Backend = a.String("--backend", "openai"),
            DatasetName = a.String("--dataset-name", "random"),
            DatasetPath = a.String("--dataset-path"),
            RandomPrefixLen = a.Int("--random-prefix-len", 0),
            RandomIds = a.Switch("--random-ids"),
            TokenizeOnClient = a.Switch("--tokenize-on-client"),
            NoTestInput = a.Switch("--no-test-input"),
            Temperature = a.Double("--temperature"),
        };
        Validate(options);
        return options;
    }

    /// <summary>
    /// The flags both clients share, with their defaults. The clients differ in the range ratio's default (the SA client
    /// samples lengths in [len x r, len], so 1.0 means fixed lengths) and in the flags each adds.
    /// </summary>
    private static BenchmarkOptions Shared(ParsedArgs a, double rangeRatio) => new()
    {
        Model = a.String("--model")!,
        BaseUrl = a.String("--base-url"),
        Host = a.String("--host", "127.0.0.1"),
        Port = a.Int("--port", 8000),
        Endpoint = a.String("--endpoint", "/v1/completions"),
        MaxConcurrency = a.Int("--max-concurrency"),
        Tokenizer = a.String("--tokenizer"),
        NumPrompts = a.Int("--num-prompts", 1000),
        RequestRate = a.Double("--request-rate", double.PositiveInfinity),
        Burstiness = a.Double("--burstiness", 1.0),
        NonStreaming = a.Switch("--non-streaming"),
        Seed = a.Int("--seed", 0),
        TrustRemoteCode = a.Switch("--trust-remote-code"),
        DisableTqdm = a.Switch("--disable-tqdm"),
        SaveResult = a.Switch("--save-result"),
        SaveDetailed = a.Switch("--save-detailed"),
        Metadata = a.List("--metadata"),
        ResultDir = a.String("--result-dir"),
        ResultFilename = a.String("--result-filename"),
        IgnoreEos = a.Switch("--ignore-eos"),
        PercentileMetrics = a.String("--percentile-metrics", "ttft,tpot,itl"),
        MetricPercentiles = a.String("--metric-percentiles", "99"),
        RandomInputLen = a.Int("--random-input-len", 1024),
        RandomOutputLen = a.Int("--random-output-len", 128),
        RandomRangeRatio = a.Double("--random-range-ratio", rangeRatio),
        ServedModelName = a.String("--served-model-name"),
        UseChatTemplate = a.Switch("--use-chat-template"),
    };

    public static LoopOptions? ReadLoop(ParsedArgs a)
    {
        var list = a.String("--concurrency-list");
        if (list is null)
        {
            var stray = LoopOnlyFlags.FirstOrDefault(a.Has);
            return stray is null ? null : throw new UsageException($"argument {stray}: only valid together with --concurrency-list");
        }

        var logPath = a.String("--log-path") ?? throw new UsageException("argument --concurrency-list: --log-path DIR is required in run_benchmark.sh mode");
        var loop = new LoopOptions(
            LoopOptions.ParseConcurrencyList(list), a.Int("--multi-round", 1), a.Int("--num-gen-servers", 1), a.Int("--ucx-warmup-requests", 0), logPath);
        if (loop.MultiRound < 1 || loop.NumGenServers < 1 || loop.UcxWarmupRequests < 0)
        {
            throw new UsageException("--multi-round and --num-gen-servers must be >= 1 and --ucx-warmup-requests >= 0");
        }

        return loop;
    }

    public static void Validate(BenchmarkOptions o)
    {
        if (o.NumPrompts < 1)
        {
            throw new UsageException($"argument --num-prompts: must be >= 1, got {o.NumPrompts}");
        }

        if (o.MaxConcurrency is < 1)
        {
            throw new UsageException($"argument --max-concurrency: must be >= 1, got {o.MaxConcurrency}");
        }

        if (o.RandomInputLen < 1 || o.RandomOutputLen < 1 || o.RandomPrefixLen < 0)
        {
            throw new UsageException("--random-input-len and --random-output-len must be >= 1, --random-prefix-len >= 0");
        }

        if (o.SaClient ? o.RandomRangeRatio is < 0 or > 1 : o.RandomRangeRatio is < 0 or >= 1)
        {
            throw new UsageException($"argument --random-range-ratio: must be in [0, 1{(o.SaClient ? "]" : ")")}, got {o.RandomRangeRatio}");
        }

        if (o.RequestRate <= 0 || o.Burstiness <= 0)
        {
            throw new UsageException("--request-rate and --burstiness must be positive");
        }

        foreach (var metric in o.SelectedMetrics.Where(m => !Metrics.Contains(m, StringComparer.Ordinal)))
        {
            throw new UsageException(
                $"argument --percentile-metrics: unknown metric '{metric}'{TextSimilarity.DidYouMean(metric, Metrics)}; allowed: {string.Join(",", Metrics)}");
        }

        foreach (var p in o.MetricPercentiles.Split(',', StringSplitOptions.TrimEntries))
        {
            if (!double.TryParse(p, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var value)
                || value is < 0 or > 100)
            {
                throw new UsageException($"argument --metric-percentiles: '{p}' is not a percentile between 0 and 100");
            }
        }

        if (o.DatasetName == "trtllm_custom" && o.DatasetPath is null)
        {
            throw new UsageException("argument --dataset-path: required with --dataset-name trtllm_custom");
        }

        // The result file goes into --result-dir: a name with folders in it could write anywhere.
        if (o.ResultFilename is { } file && (file.Length == 0 || file != Path.GetFileName(file) || file is "." or ".." || file.Any(char.IsControl)))
        {
            throw new UsageException($"argument --result-filename: '{file}' is not a plain file name; put the folder in --result-dir");
        }

        foreach (var item in o.Metadata ?? [])
        {
            if (!item.Contains('=', StringComparison.Ordinal))
            {
                throw new UsageException($"argument --metadata: '{item}' is not KEY=VALUE");
            }
        }
    }
}
