using Disagg.Harness.Results;
using Disagg.Harness.Tests.Fixtures;

namespace Disagg.Harness.Tests.Results;

public sealed class LmEvalTableTests
{
    private static IReadOnlyList<LmEvalRow> Rows() => LmEvalTable.Parse(File.ReadAllText(FixturePaths.Fixture("logs", "7_accuracy_eval_gsm8k.log")));

    [Test]
    public void Both_filter_rows_are_read_and_the_continuation_row_keeps_its_task()
    {
        var rows = Rows();
        using (Assert.EnterMultipleScope())
        {
            Assert.That(LmEvalTable.Find(rows, "gsm8k", "flexible-extract")?.Value, Is.EqualTo(0.9492));
            Assert.That(LmEvalTable.Find(rows, "gsm8k", "strict-match"), Is.EqualTo(new LmEvalRow("gsm8k", "strict-match", "exact_match", 0.9431, 0.0064, 8)),
                "a continuation row (blank task) belongs to the task above it");
        }
    }

    [Test]
    public void Groups_tables_and_sub_tasks_are_read_per_dataset()
    {
        var rows = Rows();
        Assert.That(rows.Select(r => (r.Task, r.Filter, r.Value)), Is.EqualTo(new[]
        {
            ("gsm8k", "flexible-extract", 0.9492), ("gsm8k", "strict-match", 0.9431), ("mmlu", "none", 0.8712), ("humanities", "none", 0.8251),
        }));
    }

    [Test]
    public void Columns_are_found_by_header_name()
    {
        var text = "|Tasks|Filter|Value|Version|\n|---|---|---|---|\n|gpqa_diamond|flexible-extract|0.71|1|\n";
        Assert.That(LmEvalTable.Find(LmEvalTable.Parse(text), "gpqa_diamond", "flexible-extract")?.Value, Is.EqualTo(0.71));
    }
}
