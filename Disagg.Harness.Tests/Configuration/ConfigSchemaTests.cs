using Disagg.Harness.Configuration;
using FluentAssertions;

namespace Disagg.Harness.Tests.Configuration;

/// <summary>Typed sections that the samples do not exercise: overrides, the task form, datasets.</summary>
public sealed class ConfigSchemaTests
{
    [Test]
    public void Metadata_overrides_and_accuracy_datasets_are_typed_with_per_dataset_defaults()
    {
        var text = ConfigText.SmokeWith("  benchmark_type: 128-32", """
              benchmark_type: 128-32
              metrics:
                log_file: bench.log
                metric_names: [DISAGG_SERVER_TTFT, DISAGG_SERVER_E2EL]
              accuracy:
                datasets:
                - dataset_name: gsm8k
                  expected_value: 0.9454
                - name: humaneval
                  filter_type: strict-match
                  alpha: 0.01
                metrics:
                  log_file: 7_accuracy_eval_*.log
            """.TrimEnd());
        var m = ConfigLoader.Parse(text, "x.yaml").Metadata;
        m.Metrics.Should().BeEquivalentTo(new MetricsOverride("bench.log", null, ["DISAGG_SERVER_TTFT", "DISAGG_SERVER_E2EL"]));
        m.AccuracyThresholds.Datasets.Select(d => d with { Source = "" }).Should().Equal(
            new AccuracyDataset("gsm8k", 0.9454, ThresholdType.HypothesisTest, AccuracyFilter.FlexibleExtract, 0.05, 0.2, 50, 1319, true),
            new AccuracyDataset("humaneval", 0.0, ThresholdType.HypothesisTest, AccuracyFilter.StrictMatch, 0.01, 0.2, 15.08, 164, true));
        m.AccuracyThresholds.Metrics.LogFile.Should().Be("7_accuracy_eval_*.log");
    }

    [Test]
    public void Accuracy_task_form_is_read_with_extra_kwargs_in_order()
    {
        var text = ConfigText.SmokeWith("accuracy:\n  enable_accuracy_test: false", """
            accuracy:
              enable_accuracy_test: true
              env_var: {HF_HOME: /hf}
              tasks:
                gsm8k:
                  model: local-chat-completions
                  model_args_extra: "num_concurrent=512"
                  extra_kwargs: {trust_remote_code: true, custom_config: x.yaml}
            """.TrimEnd());
        var a = ConfigLoader.Parse(text, "x.yaml").Accuracy;
        a.Form.Should().Be(AccuracyForm.Tasks);
        a.Enabled.Should().BeTrue();
        a.EnvVar.Should().Equal(new Dictionary<string, string> { ["HF_HOME"] = "/hf" });
        var task = a.Tasks.Should().ContainSingle().Subject;
        task.Endpoint.Should().Be("v1/chat/completions");
        task.ExtraKwargs.Should().Equal(
            new KeyValuePair<string, string>("trust_remote_code", "true"), new KeyValuePair<string, string>("custom_config", "x.yaml"));
    }

    [Test]
    public void Absent_accuracy_section_gets_the_documented_default()
    {
        var text = ConfigText.SmokeWith("accuracy:\n  enable_accuracy_test: false\n", "");
        var a = ConfigLoader.Parse(text, "x.yaml").Accuracy;
        a.Form.Should().Be(AccuracyForm.Absent);
        a.Enabled.Should().BeFalse();
        a.Tasks.Should().ContainSingle().Which.Name.Should().Be("gsm8k");
    }

    [TestCase("\"1 4\"", new[] { 1, 4 })]
    [TestCase("[1, 4]", new[] { 1, 4 })]
    [TestCase("16", new[] { 16 })]
    public void Concurrency_list_accepts_a_string_a_list_or_an_integer(string yaml, int[] expected)
    {
        var text = ConfigText.SmokeWith("  concurrency_list: \"1 4\"", "  concurrency_list: " + yaml);
        ConfigLoader.Parse(text, "x.yaml").Benchmark.ConcurrencyList.Should().Equal(expected);
    }

    [Test]
    public void Unquoted_job_time_is_a_duration_not_a_base_60_integer()
    {
        var text = ConfigText.SmokeWith("  job_time: \"00:10:00\"", "  job_time: 10:00:00");
        ConfigLoader.Parse(text, "x.yaml").Slurm.JobTime.Should().Be(TimeSpan.FromHours(10));
    }

    [Test]
    public void A_file_name_that_disagrees_with_the_content_is_a_warning_with_the_line()
    {
        const string path = "configs/disagg/perf/sim-tiny_1k1k_ctx2_gen1_dep1_bs8_eplb0_mtp0_ccb-NIXL.yaml";
        var c = ConfigLoader.Parse(ConfigText.Smoke, path);
        c.Warnings.Select(w => w.ToString()).Should().Equal(
            path + ":24:17: warning: benchmark.input_length: file name says '1k1k' but input_length is 128",
            path + ":25:18: warning: benchmark.output_length: file name says '1k1k' but output_length is 32",
            path + ":29:20: warning: hardware.num_ctx_servers: file name says 'ctx2' but the config has 1",
            path + ":70:26: warning: worker_config.gen.enable_attention_dp: file name says 'dep1' (attention DP on) but enable_attention_dp is false",
            path + ":71:21: warning: worker_config.gen.max_batch_size: file name says 'bs8' but the config has 16",
            path + ":82:16: warning: worker_config.gen.cache_transceiver_config.backend: file name says 'ccb-NIXL' but the backend is UCX");
    }
}
