using Disagg.Harness.Configuration;
using Disagg.Harness.Tests.Fixtures;
using FluentAssertions;

namespace Disagg.Harness.Tests.Configuration;

public sealed class EnvironmentOverridesTests
{
    private static DisaggConfig Sample() =>
        ConfigLoader.Parse(
            File.ReadAllText(FixturePaths.Fixture("samples", "deepseek-r1-fp4_1k1k_ctx2_gen1_dep16_bs128_eplb288_mtp3_ccb-NIXL.yaml"))
                .Replace("concurrency_list: '2150'", "concurrency_list: '2048'", StringComparison.Ordinal),
            "sample.yaml");

    [Test]
    public void Each_replaced_value_is_logged_old_to_new_and_the_input_is_untouched()
    {
        var env = new Dictionary<string, string>
        {
            ["DISAGG_SLURM_PARTITION"] = "batch",
            ["DISAGG_SLURM_ACCOUNT"] = "<account>",
            ["DISAGG_CONTAINER_IMAGE"] = "/img/trtllm.sqsh",
            ["DISAGG_MODEL_DIR"] = "/models/",
            ["DISAGG_DATASET_DIR"] = "/data",
            ["DISAGG_SLURM_JOB_NAME"] = "",
            ["SLURM_JOB_NAME"] = "never-read",
        };
        var original = Sample();
        var result = EnvironmentOverrides.Apply(original, env.GetValueOrDefault);

        result.Log.Should().Equal(
            "slurm.partition: (unset) → 'batch' (from DISAGG_SLURM_PARTITION)",
            "environment.container_image: (unset) → '/img/trtllm.sqsh' (from DISAGG_CONTAINER_IMAGE)",
            "environment.model_path: (unset) → '/models/DeepSeek-R1-0528-FP4-V2' (from DISAGG_MODEL_DIR)",
            "benchmark.dataset_file: 'datasets/deepseek-r1-1024-1024-100000-ratio-1_for_serve.json' "
                + "→ '/data/datasets/deepseek-r1-1024-1024-100000-ratio-1_for_serve.json' (from DISAGG_DATASET_DIR)");
        result.Config.Slurm.Account.Should().BeEmpty("a placeholder value is unset");
        result.Config.Slurm.JobName.Should().Be("unified-benchmark", "an empty variable is unset and SLURM_JOB_NAME is never read");
        original.Slurm.Partition.Should().BeEmpty("Apply is pure");
    }

    [Test]
    public void No_variables_means_no_changes()
    {
        var original = Sample();
        var result = EnvironmentOverrides.Apply(original, _ => null);
        result.Log.Should().BeEmpty();
        result.Config.Should().BeSameAs(original);
    }

    [Test]
    public void Every_variable_in_the_table_is_prefixed_and_none_is_set_by_slurm()
    {
        EnvironmentOverrides.Table.Select(o => o.Variable).Should().OnlyContain(v => v.StartsWith("DISAGG_", StringComparison.Ordinal));
        EnvironmentOverrides.Table.Select(o => o.Variable).Should().OnlyHaveUniqueItems();
    }
}
