using Disagg.Harness.Configuration;
using Disagg.Harness.Tests.Fixtures;
using FluentAssertions;

namespace Disagg.Harness.Tests.Configuration;

/// <summary>The reference samples (Fixtures/samples, copied from TensorRT-LLM) load unchanged.</summary>
public sealed class SampleConfigTests
{
    private const string WideEp = "deepseek-r1-fp4_1k1k_ctx2_gen1_dep16_bs128_eplb288_mtp3_ccb-NIXL.yaml";
    private const string PerfSanity = "gb200-deepseek-r1-fp4_1k1k_ctx1_dep4_gen1_dep8_eplb0_mtp0_ccb-UCX.yaml";

    [Test]
    public void Wide_ep_sample_breaks_the_attention_dp_concurrency_rule_and_says_where()
    {
        var path = FixturePaths.Fixture("samples", WideEp);
        var e = Assert.Throws<ConfigException>(() => ConfigLoader.Load(path))!;
        e.Errors.Select(x => x.ToString()).Should().Equal(
            $"{path}:25:21: benchmark.concurrency_list: concurrency 2150 exceeds "
                + "gen max_batch_size x tensor_parallel_size = 128 x 16 = 2048 (attention DP on)");
    }

    [Test]
    public void Perf_sanity_sample_loads_with_every_section_typed()
    {
        var c = ConfigLoader.Load(FixturePaths.Fixture("samples", PerfSanity));
        c.Warnings.Should().BeEmpty("the file name agrees with the content");
        c.Metadata.ModelName.Should().Be("deepseek_r1_0528_fp4_v2");
        c.Metadata.SupportedGpus.Should().Equal("GB200", "GB300");
        c.Metadata.ConfigIndex.Should().Be(-1);
        c.Metadata.BenchmarkType.Should().Be("1k1k");
        c.Slurm.JobTime.Should().Be(TimeSpan.FromHours(2));
        c.Slurm.Partition.Should().BeEmpty("<partition> is a placeholder, which means unset");
        c.Slurm.ScriptFile.Should().Be("disaggr_torch.slurm");
        c.Benchmark.Mode.Should().Be(BenchmarkMode.E2E);
        c.Benchmark.UseNvSaBenchmark.Should().BeTrue();
        c.Benchmark.ConcurrencyList.Should().Equal(1024);
        c.Benchmark.BenchmarkRatio.Should().Be(0.8);
        c.Hardware.Should().Be(new HardwareSection(4, 1, 1));
        c.Environment.ContainerImage.Should().BeEmpty();
        c.Environment.WorkerEnv.Should().ContainKey("TLLM_LOG_LEVEL").WhoseValue.Should().Be("INFO");
        c.Accuracy.Enabled.Should().BeFalse();
        c.Gen.TensorParallelSize.Should().Be(8);
        c.Gen.EnableAttentionDp.Should().BeTrue();
        c.Gen.CacheTransceiverBackend.Should().Be("UCX");
        c.Gen.MoeBackend.Should().Be("CUTLASS");
        c.Gen.MaxTokensInBuffer.Should().Be(16384);
        c.Gen.DecodingType.Should().BeNull();
        c.Ctx.WorldSize.Should().Be(4);
    }

    [Test]
    public void Wide_ep_sample_reads_mtp_eplb_and_the_legacy_accuracy_form_once_the_rule_is_met()
    {
        var text = File.ReadAllText(FixturePaths.Fixture("samples", WideEp))
            .Replace("concurrency_list: '2150'", "concurrency_list: '2048'", StringComparison.Ordinal);
        var c = ConfigLoader.Parse(text, WideEp);
        c.Benchmark.Mode.Should().Be(BenchmarkMode.GenOnly);
        c.Benchmark.DatasetFile.Should().Be("datasets/deepseek-r1-1024-1024-100000-ratio-1_for_serve.json",
            "benchmark.dataset_file is a placeholder, so metadata.dataset_file is used");
        c.Gen.EplbSlots.Should().Be(288);
        c.Gen.MtpLayers.Should().Be(3);
        c.Gen.DecodingType.Should().Be("MTP");
        c.Gen.MoeBackend.Should().Be("WIDEEP");
        c.Slurm.NumaBind.Should().BeTrue();
        c.Accuracy.Form.Should().Be(AccuracyForm.Legacy);
        c.Accuracy.Tasks.Should().ContainSingle().Which.Should().Be(
            new AccuracyTask("gsm8k", "local-completions",
                "num_concurrent=512,max_retries=3,tokenized_requests=false,timeout=1200,max_gen_toks=256,max_length=4096"));
        c.Warnings.Should().BeEmpty();
    }

    [Test]
    public void Local_smoke_config_is_valid_and_uses_the_random_dataset()
    {
        var path = Path.Combine(FixturePaths.RepoRoot, "configs", "disagg", "perf", "sim-tiny_128-32_ctx1_tep1_gen1_tep1_bs16_eplb0_mtp0_ccb-UCX.yaml");
        var c = ConfigLoader.Load(path);
        c.Warnings.Should().BeEmpty();
        c.Benchmark.DatasetFile.Should().BeEmpty();
        c.Benchmark.RandomDatasetChosen.Should().BeTrue();
        c.Thresholds.Should().HaveCount(4);
    }
}
