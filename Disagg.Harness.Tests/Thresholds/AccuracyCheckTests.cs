using Disagg.Harness.Configuration;
using Disagg.Harness.Results;
using Disagg.Harness.Tests.Fixtures;
using Disagg.Harness.Thresholds;
using YamlDotNet.RepresentationModel;

namespace Disagg.Harness.Tests.Thresholds;

public sealed class AccuracyCheckTests
{
    [TestCase(0.05, -1.6448536269514722)]
    [TestCase(0.002, -2.8781617390954826)]
    [TestCase(0.5, 0.0)]
    [TestCase(0.975, 1.959963984540054)]
    [TestCase(0.01, -2.3263478740408408)]
    [TestCase(1e-10, -6.361340902404056)]
    [TestCase(0.999, 3.090232306167813)]
    public void Inverse_normal_matches_known_quantiles(double p, double expected)
    {
        Assert.That(InverseNormal.Quantile(p), Is.EqualTo(expected).Within(Math.Max(1e-9, Math.Abs(expected) * 1.2e-9)));
    }

    [Test]
    public void Inverse_normal_rejects_probabilities_outside_0_1()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => InverseNormal.Quantile(0));
        Assert.Throws<ArgumentOutOfRangeException>(() => InverseNormal.Quantile(1));
    }

    private static IReadOnlyList<AccuracyDataset> Datasets(string yaml, List<ConfigError>? errors = null)
    {
        var stream = new YamlStream();
        stream.Load(new StringReader(yaml));
        return MetadataReader.ParseDatasets(stream.Documents[0].RootNode, "c.yaml", errors ?? []);
    }

    [Test]
    public void Gsm8k_expected_0_9454_gives_threshold_91_3375_percent()
    {
        var gsm8k = Datasets("- dataset_name: gsm8k\n  expected_value: 0.9454\n").Single();
        Assert.That(AccuracyCheck.Threshold(gsm8k), Is.EqualTo(91.3375).Within(5e-5));
    }

    [Test]
    public void The_fixture_log_passes_gsm8k_with_the_reference_message()
    {
        var rows = LmEvalTable.Parse(File.ReadAllText(FixturePaths.Fixture("logs", "7_accuracy_eval_gsm8k.log")));
        var verdict = AccuracyCheck.Evaluate(Datasets("- dataset_name: gsm8k\n  expected_value: 0.9454\n").Single(), rows, "7_accuracy_eval_gsm8k.log");
        Assert.That(verdict.Passed, Is.True);
        Assert.That(verdict.Message, Is.EqualTo("gsm8k (flexible-extract, 7_accuracy_eval_gsm8k.log:7): Hypothesis test: actual=94.92%, expected=94.54%, "
            + "threshold=91.34%, required: >= threshold"));
    }

    [Test]
    public void Strict_match_and_lower_is_better_are_honoured()
    {
        var rows = LmEvalTable.Parse(File.ReadAllText(FixturePaths.Fixture("logs", "7_accuracy_eval_gsm8k.log")));
        var strict = AccuracyCheck.Evaluate(Datasets("- name: gsm8k\n  expected_value: 0.99\n  filter_type: strict-match\n").Single(), rows, "a.log");
        Assert.That((strict.Passed, strict.ActualPercent), Is.EqualTo((false, 94.31)));
        var lower = Datasets("- dataset_name: slimpajama-6b\n  expected_value: 10\n").Single();
        Assert.That(AccuracyCheck.Threshold(lower), Is.GreaterThan(10), "higher_is_better false: the threshold lies above the reference");
    }

    [Test]
    public void Missing_dataset_name_and_unsupported_type_are_located_errors()
    {
        var errors = new List<ConfigError>();
        var parsed = Datasets("- expected_value: 0.9\n- dataset_name: mmlu\n  threshold_type: absolute\n", errors);
        Assert.That(errors.Select(e => e.ToString()), Is.EqualTo(new[]
        {
            "c.yaml:1:3: metadata.accuracy.datasets[0].dataset_name: is required (the lm_eval task, e.g. gsm8k); 'name' is accepted as an alias",
            "c.yaml:3:19: metadata.accuracy.datasets[1].threshold_type: 'absolute' is not one of hypothesis_test",
        }));
        Assert.That(parsed.Single().NumSamples, Is.EqualTo(4096), "mmlu defaults");
    }

    [Test]
    public void A_missing_row_names_what_was_found()
    {
        var verdict = AccuracyCheck.Evaluate(Datasets("- dataset_name: aime25\n  expected_value: 0.8\n").Single(),
            LmEvalTable.Parse(File.ReadAllText(FixturePaths.Fixture("logs", "7_accuracy_eval_gsm8k.log"))), "a.log");
        Assert.That(verdict.Passed, Is.False);
        Assert.That(verdict.Message, Does.StartWith("a.log: no 'flexible-extract' row for dataset 'aime25' "
            + "(rows found: gsm8k/flexible-extract, gsm8k/strict-match, mmlu/none, humanities/none)"));
    }
}
