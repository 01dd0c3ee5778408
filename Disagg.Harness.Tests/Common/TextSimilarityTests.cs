using Disagg.Harness.Common;

namespace Disagg.Harness.Tests.Common;

public sealed class TextSimilarityTests
{
    [TestCase("", "", 0)]
    [TestCase("abc", "", 3)]
    [TestCase("kitten", "sitting", 3)]
    [TestCase("tpto", "tpot", 2)]
    [TestCase("GB200", "gb200", 0)]
    [TestCase("--num-promts", "--num-prompts", 1)]
    public void Edit_distance_is_levenshtein_ignoring_case(string a, string b, int expected)
    {
        Assert.That(TextSimilarity.EditDistance(a, b), Is.EqualTo(expected));
        Assert.That(TextSimilarity.EditDistance(b, a), Is.EqualTo(expected), "symmetric");
    }

    [TestCase("wroker", "worker")]
    [TestCase("gne", "gen")]
    [TestCase("oom_on_strat", "oom_on_start")]
    [TestCase("--percentile-metric", "--percentile-metrics")]
    public void Nearest_finds_a_close_candidate(string word, string expected) =>
        Assert.That(TextSimilarity.Nearest(word, ["worker", "gen", "ctx", "oom_on_start", "--percentile-metrics", "--model"]), Is.EqualTo(expected));

    [Test]
    public void Nothing_is_suggested_when_no_candidate_is_close()
    {
        using (Assert.EnterMultipleScope())
        {
            Assert.That(TextSimilarity.Nearest("throughput", ["ttft", "tpot"]), Is.Null);
            Assert.That(TextSimilarity.DidYouMean("throughput", ["ttft", "tpot"]), Is.Empty);
            Assert.That(TextSimilarity.Nearest("x", []), Is.Null);
        }
    }

    [Test]
    public void Among_equally_close_candidates_a_prefix_wins_then_ordinal_order()
    {
        using (Assert.EnterMultipleScope())
        {
            // One edit from both, and "--max-jab" sorts first; only "--max-jobs" extends the word.
            Assert.That(TextSimilarity.Nearest("--max-job", ["--max-jab", "--max-jobs"]), Is.EqualTo("--max-jobs"));
            Assert.That(TextSimilarity.Nearest("cat", ["bat", "hat"]), Is.EqualTo("bat"));
        }
    }

    [Test]
    public void Did_you_mean_is_the_suffix_messages_append() =>
        Assert.That(TextSimilarity.DidYouMean("tpto", ["tpot", "ttft"]), Is.EqualTo(" (did you mean 'tpot'?)"));
}
