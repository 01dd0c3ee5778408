using Disagg.Sim.LmEval;

namespace Disagg.Sim.Tests.LmEval;

/// <summary>The simulator's lm-eval prints lm_eval's table byte for byte and scores to within one document of its target.</summary>
[TestFixture]
public sealed class TaskScoreTests
{
    [Test]
    public void Table_has_lm_evals_layout()
    {
        var score = new TaskScore("gsm8k", 1319, 0.9492, 0.0060, 0.9431, 0.0064, []);
        Assert.That(TaskScore.Table([score]), Is.EqualTo(
            "|Tasks|Version|     Filter     |n-shot|  Metric   |   |Value |   |Stderr|\n" +
            "|-----|------:|----------------|-----:|-----------|---|-----:|---|-----:|\n" +
            "|gsm8k|      3|flexible-extract|     5|exact_match|↑  |0.9492|±  |0.0060|\n" +
            "|     |       |strict-match    |     5|exact_match|↑  |0.9431|±  |0.0064|\n\n"));
    }

    [TestCase(0.95, 200)]
    [TestCase(0.80, 1319)]
    [TestCase(0.0, 50)]
    public void Score_is_the_target_to_within_one_document(double accuracy, int documents)
    {
        var answers = Enumerable.Range(0, documents).Select(d => new Answer(d, "x", null)).ToList();
        var score = TaskScore.Of("gsm8k", answers, accuracy);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(score.Flexible, Is.EqualTo(accuracy).Within(1.0 / documents + 1e-9));
            Assert.That(score.Strict, Is.LessThanOrEqualTo(score.Flexible));
            Assert.That(score.Samples, Has.Count.EqualTo(documents));
        }
    }
}
