using FluentAssertions;

namespace Disagg.Harness.Tests.Configuration;

/// <summary>
/// One broken edit of the smoke config per case, each with the exact message(s) it must produce,
/// located as file:line:column and key path. Line numbers refer to Fixtures/configs/smoke.yaml.
/// </summary>
public sealed class BrokenConfigCorpusTests
{
    private static readonly object[] Corpus =
    [
        Case("typo in a key", "  concurrency_list: \"1 4\"", "  concurency_list: \"1 4\"",
            "broken.yaml:19:3: benchmark.concurrency_list: is required (e.g. '1 4 16' or [1, 4, 16]) but missing",
            "broken.yaml:23:3: benchmark.concurency_list: unknown key (did you mean 'concurrency_list'?)"),
        Case("comma concurrency", "  concurrency_list: \"1 4\"", "  concurrency_list: \"1,4\"",
            "broken.yaml:23:21: benchmark.concurrency_list: '1,4' uses commas; write the values space-separated ('1 4') or as a YAML list"),
        Case("non-integer list entry", "  concurrency_list: \"1 4\"", "  concurrency_list: [1, two]",
            "broken.yaml:23:25: benchmark.concurrency_list: list entries must be integers from 1 to 1048576, got 'two'"),
        Case("bad mode", "  mode: e2e", "  mode: gen-only",
            "broken.yaml:19:9: benchmark.mode: 'gen-only' is not one of e2e, gen_only, gen_only_no_context (did you mean 'gen_only'?)"),
        Case("bad backend", "      backend: UCX\n  gen:", "      backend: UCXX\n  gen:",
            "broken.yaml:65:16: worker_config.ctx.cache_transceiver_config.backend: 'UCXX' is not one of NIXL, UCX, DEFAULT, MPI (did you mean 'UCX'?)"),
        Case("bad decoding type", "    stream_interval: 1",
            "    stream_interval: 1\n    speculative_config:\n      decoding_type: mtp\n      num_nextn_predict_layers: 1",
            "broken.yaml:85:22: worker_config.gen.speculative_config.decoding_type: " +
            "'mtp' is not one of MTP, Eagle, Eagle3, NGram, Medusa, Lookahead, DraftTarget, UserProvided (did you mean 'MTP'?)"),
        Case("wrong type: integer", "  multi_round: 4", "  multi_round: four",
            "broken.yaml:21:16: benchmark.multi_round: expected an integer, got 'four'"),
        Case("wrong type: boolean", "  streaming: true", "  streaming: maybe",
            "broken.yaml:22:14: benchmark.streaming: expected true or false, got 'maybe'"),
        Case("wrong type: section is a list", "hardware:\n", "hardware: [1, 2]\nhw:\n",
            "broken.yaml:27:11: hardware: expected a mapping, got a list",
            "broken.yaml:28:1: hw: unknown key"),
        Case("missing required field", "  gpus_per_node: 4\n", "",
            "broken.yaml:28:3: hardware.gpus_per_node: is required (an integer) but missing"),
        Case("job_time does not parse", "  job_time: \"00:10:00\"", "  job_time: \"ten minutes\"",
            "broken.yaml:13:13: slurm.job_time: cannot read 'ten minutes' as a duration; use HH:MM:SS, D-HH:MM:SS or minutes"),
        Case("malformed YAML", "  input_length: 128", "  input_length: 128\n  - broken",
            "broken.yaml:25:3: malformed YAML: While parsing a block mapping, did not find expected key."),
        Case("unclosed flow sequence", "metadata:", "metadata:\n  bad: [unclosed",
            "broken.yaml:5:8: malformed YAML: the parser stopped here (check for an unclosed bracket, brace or quote)"),
        Case("rule 2: streaming off", "  streaming: true", "  streaming: false",
            "broken.yaml:22:14: benchmark.streaming: must be true: TTFT and ITL are only measured with streaming"),
        Case("rules 3 and 4 together", "  input_length: 128", "  input_length: 600",
            "broken.yaml:57:18: worker_config.ctx.max_seq_len: must be > input_length (600), got 512",
            "broken.yaml:73:18: worker_config.gen.max_seq_len: must be > input_length + output_length (600 + 32 = 632), got 512"),
        Case("rule 1: mtp tokens", "    max_num_tokens: 256",
            "    max_num_tokens: 20\n    speculative_config:\n      decoding_type: MTP\n      num_nextn_predict_layers: 1",
            "broken.yaml:72:21: worker_config.gen.max_num_tokens: must be >= max_batch_size x (mtp + 1) = 16 x 2 = 32, got 20"),
        Case("rule 5c: concurrency over batch", "  concurrency_list: \"1 4\"", "  concurrency_list: \"1 17\"",
            "broken.yaml:23:21: benchmark.concurrency_list: concurrency 17 exceeds gen max_batch_size = 16 (attention DP off)"),
        Case("dataset required", "  dataset_file: \"\"\n", "",
            "broken.yaml:19:3: benchmark.dataset_file: is required by the default benchmark client (trtllm_custom): " +
            "set benchmark.dataset_file, or metadata.dataset_file with DISAGG_DATASET_DIR, " +
            "or write dataset_file: \"\" to use the random dataset"),
        Case("num_instances disagrees", "    max_num_tokens: 256", "    max_num_tokens: 256\n    num_instances: 2",
            "broken.yaml:73:20: worker_config.gen.num_instances: is 2 but hardware.num_gen_servers is 1; they must agree"),
        Case("node math", "  num_gen_servers: 1", "  num_gen_servers: 2",
            "broken.yaml:67:27: worker_config.gen.tensor_parallel_size: world size 3 (tp x pp x cp) does not divide hardware.gpus_per_node (4), " +
            "so 2 gen servers would straddle nodes; set hardware.compact_packing: true to pack servers GPU by GPU",
            extra: ("  gen:\n    tensor_parallel_size: 1", "  gen:\n    tensor_parallel_size: 3")),
        Case("bad accuracy model", "accuracy:\n  enable_accuracy_test: false",
            "accuracy:\n  enable_accuracy_test: false\n  tasks:\n    gsm8k:\n      model: local-chat-completion",
            "broken.yaml:45:14: accuracy.tasks.gsm8k.model: 'local-chat-completion' is not one of local-completions, local-chat-completions " +
            "(did you mean 'local-chat-completions'?)"),
        Case("accuracy datasets", "  benchmark_type: 128-32",
            "  benchmark_type: 128-32\n  accuracy:\n    datasets:\n    - expected_value: 0.9\n" +
            "    - dataset_name: gsm8k\n      threshold_type: absolute\n      filter_type: strict_match",
            "broken.yaml:12:7: metadata.accuracy.datasets[0].dataset_name: is required (the lm_eval task, e.g. gsm8k); 'name' is accepted as an alias",
            "broken.yaml:14:23: metadata.accuracy.datasets[1].threshold_type: 'absolute' is not one of hypothesis_test",
            "broken.yaml:15:20: metadata.accuracy.datasets[1].filter_type: 'strict_match' is not one of flexible-extract, strict-match " +
            "(did you mean 'strict-match'?)"),
        Case("metrics override", "  benchmark_type: 128-32", "  benchmark_type: 128-32\n  metrics:\n    log_file: 6_bench.log\n    metric_nams: [A]",
            "broken.yaml:12:5: metadata.metrics.metric_nams: unknown key (did you mean 'metric_names'?)"),
    ];

    private static TestCaseData Case(string name, string find, string replace, params string[] expected) =>
        Case(name, find, replace, expected, extra: null);

    private static TestCaseData Case(string name, string find, string replace, string expected, (string, string)? extra) =>
        Case(name, find, replace, [expected], extra);

    private static TestCaseData Case(string name, string find, string replace, string[] expected, (string Find, string Replace)? extra) =>
        new TestCaseData(find, replace, expected, extra?.Find, extra?.Replace).SetArgDisplayNames(name.Replace(' ', '_').Replace(':', '_'));

    [TestCaseSource(nameof(Corpus))]
    public void Broken_config_yields_exactly_the_expected_located_errors(string find, string replace, string[] expected, string? find2, string? replace2)
    {
        var text = ConfigText.SmokeWith(find, replace);
        if (find2 is not null) text = text.Replace(find2, replace2!, StringComparison.Ordinal);
        ConfigText.Errors(text).Should().Equal(expected);
    }
}
