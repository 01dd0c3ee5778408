using Disagg.Harness.Configuration;
using Disagg.Harness.TestLists;
using Disagg.Harness.Tests.Fixtures;
using FluentAssertions;

namespace Disagg.Harness.Tests.TestLists;

public sealed class TestListParserTests
{
    private const string TestDb = "l0_gb200_multi_nodes_disagg_perf_sanity_ctx1_node1_gpu4_gen1_node2_gpu8.yml";

    private static SystemProperties Gb200PostMerge(string gpu = "gb200", string count = "12") =>
        SystemProperties.Parse([$"gpu={gpu}", $"system_gpu_count={count}", "stage=post_merge", "backend=pytorch"]);

    [Test]
    public void Harness_sample_list_resolves_every_active_line_to_a_test_id()
    {
        var list = TestListParser.Load(FixturePaths.Fixture("samples", "disagg.txt"));
        list.Format.Should().Be(TestListFormat.Native);
        list.Entries.Should().HaveCount(56);
        list.Entries[0].TestId.Should().Be("disagg_perf_deepseek-r1-fp4_1k1k_ctx1_gen4_tep8_bs32_eplb0_mtp0_ccb-UCX");
        list.Entries[^1].TestId.Should().Be("disagg_stress_deepseek-r1-fp4_1k1k_ctx2_gen1_dep48_bs16_eplb288_mtp3_ccb-DEFAULT");
        list.Warnings.Should().BeEmpty();
    }

    [Test]
    public void Test_db_sample_maps_perf_sanity_ids_and_keeps_upload_timeout_and_commented_entries()
    {
        var list = TestListParser.Load(FixturePaths.Fixture("samples", TestDb), Gb200PostMerge());
        list.Format.Should().Be(TestListFormat.TestDb);
        list.Entries.Should().HaveCount(5);
        var first = list.Entries[0];
        first.TestId.Should().Be("disagg_perf-sanity_gb200-deepseek-r1-fp4_1k1k_ctx1_dep4_gen1_dep8_eplb0_mtp0_ccb-UCX",
            "upstream keeps it in disagg/perf-sanity/");
        first.Line.Should().Be(16);
        first.TimeoutMinutes.Should().Be(120);
        first.Upload.Should().BeTrue();
        first.Mode.Should().BeNull("the older label has no mode token, so the YAML's benchmark.mode applies");
        list.Excluded.Select(x => (x.Line, x.Reason)).Should().Equal((19, "commented out"), (20, "commented out"), (21, "commented out"));
    }

    [Test]
    public void Test_db_condition_that_does_not_hold_excludes_every_entry_with_the_reason()
    {
        var list = TestListParser.Load(FixturePaths.Fixture("samples", TestDb), Gb200PostMerge(gpu: "h100", count: "8"));
        list.Entries.Should().BeEmpty();
        list.Excluded.Where(x => x.Reason != "commented out").Should().HaveCount(5).And.AllSatisfy(x =>
            x.Reason.Should().Be("condition not met: system_gpu_count=8 is outside [12, 12]; gpu=h100 matches none of [*gb200*]"));
    }

    [Test]
    public void Undeclared_properties_are_named_in_the_reason()
    {
        var list = TestListParser.Load(FixturePaths.Fixture("samples", TestDb));
        list.Excluded[0].Reason
            .Should().StartWith("condition not met: system property 'system_gpu_count' is not declared (pass --property system_gpu_count=...)");
    }

    [Test]
    public void Mode_token_is_kept_and_markers_are_read()
    {
        const string text = """
            version: 0.0.1
            llm_perf_disagg:
            - condition:
                wildcards: {gpu: ['gb200']}
              tests:
              - perf/test_perf_sanity.py::test_e2e[disagg-e2e-gb200_deepseek-r1-fp4_8k1k_con1024_ctx1_dep4_gen1_dep32_eplb0_mtp3_ccb-NIXL] TIMEOUT (90) # why
              - perf/test_perf_sanity.py::test_e2e[disagg_upload-gen_only-gb200_x_1k1k] ISOLATION,TIMEOUT (60)
              - perf/test_perf_sanity.py::test_e2e[aggr_upload-deepseek_r1_fp4_v2_grace_blackwell-r1_fp4_v2_dep4_mtp1_1k1k] TIMEOUT (90)
            """;
        var list = TestListParser.Parse(text, "qa.yml", SystemProperties.Parse(["gpu=gb200"]));
        list.Entries.Select(e => (e.TestId, e.Upload, e.Mode, e.TimeoutMinutes, e.Isolation)).Should().Equal(
            ("disagg_perf-sanity_gb200_deepseek-r1-fp4_8k1k_con1024_ctx1_dep4_gen1_dep32_eplb0_mtp3_ccb-NIXL", false, BenchmarkMode.E2E, 90, false),
            ("disagg_perf-sanity_gb200_x_1k1k", true, BenchmarkMode.GenOnly, 60, true));
        list.Excluded.Should().ContainSingle().Which.Reason.Should().Be("aggregated perf-sanity test; Disagg runs disaggregated tests only");
    }

    [Test]
    public void Bare_perf_sanity_labels_resolve_like_their_node_ids()
    {
        var list = TestListParser.Parse("disagg_upload-e2e-gb200_a_1k1k\ndisagg-gen_only-gb200_b_8k1k\naggr_upload-x-y\n", "l.txt");
        list.Entries.Select(e => (e.TestId, e.Upload, e.Mode)).Should().Equal(
            ("disagg_perf-sanity_gb200_a_1k1k", true, BenchmarkMode.E2E),
            ("disagg_perf-sanity_gb200_b_8k1k", false, BenchmarkMode.GenOnly));
        list.Excluded.Should().ContainSingle().Which.Reason.Should().Be("aggregated perf-sanity test; Disagg runs disaggregated tests only");
    }

    [Test]
    public void Native_list_reads_comments_timeouts_waivers_node_ids_and_reports_duplicates_once()
    {
        const string text = """
            # heading
            disagg_perf_a TIMEOUT (30)   # trailing comment
            test_disagg.py::TestDisaggBenchmark::test_accuracy[wideep_accuracy_b]
            test_disagg.py::TestDisaggBenchmark::test_stress[disagg_stress_c] SKIP (https://bugs/42)
            disagg_perf_a
            full:H100/disagg_perf_d SKIP (https://bugs/7)
            disagg_perf_a
            """;
        var list = TestListParser.Parse(text, "l.txt", SystemProperties.Parse(["gpu=gb200"]));
        list.Entries.Select(e => (e.TestId, e.Line, e.TimeoutMinutes, e.SkipReason)).Should().Equal(
            ("disagg_perf_a", 2, (int?)30, (string?)null),
            ("wideep_accuracy_b", 3, null, null),
            ("disagg_stress_c", 4, null, "https://bugs/42"));
        list.Warnings.Select(w => w.ToString()).Should().Equal("l.txt:5:1: warning: 'disagg_perf_a' is listed 3 times (lines 2, 5, 7); it runs once",
            "l.txt:4:1: warning: waiver of 'disagg_stress_c' has no expiry date; write SKIP (https://bugs/42) until YYYY-MM-DD so it is looked at again");
        list.Excluded.Should().ContainSingle().Which.Reason.Should().Be("waiver limited to H100");
    }

    [Test]
    public void Waiver_file_marks_listed_entries_ignored_with_the_reason()
    {
        var list = TestListParser.Parse("disagg_perf_a\ndisagg_perf_b\n", "l.txt");
        var waives = TestListParser.Parse("test_disagg.py::TestDisaggBenchmark::test_benchmark[disagg_perf_b] SKIP (https://bugs/1)\n", "waives.txt");
        TestListParser.ApplyWaives(list, waives).Entries.Select(e => e.SkipReason).Should().Equal(null, "https://bugs/1");
    }

    private static readonly object[] BrokenLists =
    [
        new object[] { "l.txt", "disagg_perf_a TIMEOUT\n", "l.txt:1:1: 'TIMEOUT' needs a value in parentheses, e.g. TIMEOUT (120) or SKIP (https://bug/123)" },
        new object[] { "l.txt", "\n  disagg_perf_a lowercase\n",
            "l.txt:2:3: cannot read 'lowercase' after 'disagg_perf_a'; expected markers TIMEOUT (minutes), ISOLATION or SKIP (reason)" },
        new object[] { "l.txt", "test_disagg.py::TestDisaggBenchmark::test_benchmark[disagg_accuracy_x]\n",
            "l.txt:1:1: test_benchmark runs perf tests but 'disagg_accuracy_x' is an accuracy test id; use test_accuracy" },
        new object[] { "l.txt", "tests/foo.py::test_bar[x]\n",
            "l.txt:1:1: 'tests/foo.py::test_bar[x]' is not a Disagg test id, a test_disagg.py node id or a test_perf_sanity.py::test_e2e node id" },
        new object[] { "l.txt", "perf(tp=8)\n", "l.txt:1:1: 'perf(tp=8)' is not a valid test id: only letters, digits and _ . - are allowed" },
        new object[] { "t.yml", "version: 0.0.1\nctx:\n- condition:\n    rangez: {}\n  tests:\n  - disagg_perf_a\n",
            "t.yml:4:5: condition.rangez: unknown condition part; expected ranges, wildcards or terms" },
        new object[] { "t.yml", "version: 0.0.1\nctx:\n- condition:\n    ranges:\n      system_gpu_count: {gte: many}\n  tests: []\n",
            "t.yml:5:31: condition.ranges.system_gpu_count.gte: expected a number" },
        new object[] { "t.yml", "version: 0.0.1\nctx:\n- tests:\n  - [disagg_perf_a\n",
            "t.yml:5:1: malformed YAML: While parsing a flow sequence, did not find expected ',' or ']'." },
    ];

    [TestCaseSource(nameof(BrokenLists))]
    public void Broken_list_yields_the_exact_located_error(string file, string text, string expected)
    {
        var e = Assert.Throws<ConfigException>(() => TestListParser.Parse(text, file))!;
        e.Errors.Select(x => x.ToString()).Should().Equal(expected);
    }
}
