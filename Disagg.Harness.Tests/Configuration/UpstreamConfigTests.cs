using Disagg.Harness.Configuration;
using Disagg.Harness.Tests.Fixtures;
using FluentAssertions;

namespace Disagg.Harness.Tests.Configuration;

/// <summary>
/// Every config form upstream ships (Fixtures/upstream: perf-sanity configs without max_seq_len, harness configs of
/// disagg/wideep perf, stress and accuracy, submit.py's own sample without metadata) loads, and after the environment
/// a user sets no placeholder a job needs is left.
/// </summary>
public sealed class UpstreamConfigTests
{
    public static IEnumerable<TestCaseData> Configs() =>
        UpstreamConfigs.All().Select(p => new TestCaseData(p).SetArgDisplayNames(p));

    [Test]
    public void The_fixture_set_covers_every_upstream_folder_and_mode()
    {
        var all = UpstreamConfigs.All();
        all.Should().HaveCountGreaterThanOrEqualTo(20);
        foreach (var folder in new[] { "disagg/perf/", "disagg/perf-sanity/", "disagg/stress/", "wideep/perf/", "wideep/accuracy/", "submit/" })
            all.Should().Contain(p => p.Contains(folder, StringComparison.Ordinal), folder);
        var configs = all.Select(UpstreamConfigs.Load).ToList();
        configs.Should().Contain(c => c.Benchmark.Mode == BenchmarkMode.GenOnly);
        configs.Should().Contain(c => c.Benchmark.UseNvSaBenchmark);
        configs.Should().Contain(c => c.Profiling.NsysOn);
        configs.Should().Contain(c => c.Accuracy.Enabled && c.Accuracy.Form == AccuracyForm.Tasks);
        configs.Should().Contain(c => c.Gen.MaxSeqLen == null, "perf-sanity configs leave max_seq_len to TensorRT-LLM");
        configs.Should().Contain(c => !c.Metadata.Declared, "submit.py's sample has no metadata");
    }

    [TestCaseSource(nameof(Configs))]
    public void Loads_and_resolves_with_the_users_environment(string relative)
    {
        var config = UpstreamConfigs.Resolved(relative);
        PlaceholderCheck.Unresolved(config).Should().BeEmpty();
        config.Environment.ModelPath.Should().StartWith("/lustre/models");
        config.Environment.ContainerImage.Should().Be("/lustre/images/trtllm-1.2.sqsh");
    }

    [TestCaseSource(nameof(Configs))]
    public void Without_the_environment_the_model_path_names_DISAGG_MODEL_DIR(string relative)
    {
        var errors = PlaceholderCheck.Unresolved(UpstreamConfigs.Load(relative)).Select(e => e.ToString()).ToList();
        errors.Should().Contain(e => e.Contains("environment.model_path: is the placeholder '<model_path>' and nothing replaced it: set DISAGG_MODEL_DIR",
            StringComparison.Ordinal));
        errors.Should().Contain(e => e.Contains("environment.container_image: is the placeholder '<container_image>' and nothing replaced it: " +
            "set DISAGG_CONTAINER_IMAGE",
            StringComparison.Ordinal));
        errors.Should().OnlyContain(e => e.StartsWith(Path.Combine(UpstreamConfigs.Root, relative) + ":", StringComparison.Ordinal)
            && !e.Contains(":0:", StringComparison.Ordinal));
    }

    [Test]
    public void A_plain_submit_config_takes_its_defaults_and_its_model_name_from_the_model_path()
    {
        var config = UpstreamConfigs.Resolved("submit/config.yaml");
        config.Metadata.Declared.Should().BeFalse();
        config.Metadata.SupportedGpus.Should().Equal(MetadataReader.DefaultSupportedGpus);
        config.Environment.ModelPath.Should().Be("/lustre/models", "without model_dir_name the model root is the model");
        config.Slurm.JobName.Should().Be("disagg-benchmark", "'<job_name>' is a placeholder, not a name");
        config.Benchmark.DatasetFile.Should().Be("/lustre/datasets/sharegpt-1k1k.json");
        var named = UpstreamForms.Complete(config.Metadata, config.Environment with { ModelPath = "/lustre/models/DeepSeek-R1/" });
        named.ModelName.Should().Be("DeepSeek-R1");
    }

    [Test]
    public void Placeholders_and_relative_datasets_name_the_variable_that_fills_them()
    {
        const string relative = "test_configs/wideep/accuracy/deepseek-r1-fp4_1k1k_ctx2_gen1_dep16_bs128_eplb288_mtp3_ccb-NIXL.yaml";
        var file = Path.Combine(UpstreamConfigs.Root, relative);
        PlaceholderCheck.Unresolved(UpstreamConfigs.Load(relative)).Select(e => e.ToString()).Should().Equal(
            $"{file}:42:15: environment.model_path: is the placeholder '<model_path>' and nothing replaced it: " +
            "set DISAGG_MODEL_DIR (the model root; model_path = DISAGG_MODEL_DIR/DeepSeek-R1-0528-FP4-v2) or write the model path into the config",
            $"{file}:41:20: environment.container_image: is the placeholder '<container_image>' and nothing replaced it: " +
            "set DISAGG_CONTAINER_IMAGE (the pyxis image: a .sqsh path or registry URI) or write it into the config",
            $"{file}:34:17: benchmark.dataset_file: 'disagg_datasets/deepseek-r1-1024-1024-100000-ratio-1_for_serve.json' is relative to the dataset root: " +
            "set DISAGG_DATASET_DIR (dataset_file = DISAGG_DATASET_DIR/disagg_datasets/deepseek-r1-1024-1024-100000-ratio-1_for_serve.json) " +
            "or write an absolute path",
            $"{file}:52:14: accuracy.env_var.HF_HOME: is the placeholder '<hf_home_path>' and nothing replaced it: " +
            "set DISAGG_HF_HOME (HF_HOME of the lm_eval step) or write it into the config");
    }
}
