using Disagg.Sim.Benchmark;
using Disagg.Sim.Common;

namespace Disagg.Sim.Tests.Common;

[TestFixture]
public sealed class PythonFormattingTests
{
    [TestCase(0.0, "0.0")]
    [TestCase(1.0, "1.0")]
    [TestCase(104.52, "104.52")]
    [TestCase(0.1, "0.1")]
    [TestCase(0.0001, "0.0001")]
    [TestCase(0.00001, "1e-05")]
    [TestCase(1.5e-7, "1.5e-07")]
    [TestCase(1e15, "1000000000000000.0")]
    [TestCase(1e16, "1e+16")]
    [TestCase(-2.5, "-2.5")]
    [TestCase(12938.16, "12938.16")]
    [TestCase(double.PositiveInfinity, "inf")]
    public void ReprMatchesPythonFloatRepr(double value, string expected) =>
        Assert.That(PythonFloat.Repr(value), Is.EqualTo(expected));

    [Test]
    public void JsonUsesPythonSeparatorsAndEscapes()
    {
        var dict = new PyDict { { "a", 1 }, { "b", "x\"é\n" }, { "c", new List<object?> { true, null, 0.5 } } };

        Assert.That(PyJson.Serialize(dict), Is.EqualTo("{\"a\": 1, \"b\": \"x\\\"\\u00e9\\n\", \"c\": [true, null, 0.5]}"));
    }

    [Test]
    public void NamespaceIsSortedWithPythonReprs()
    {
        var rendered = BenchmarkNamespace.Render(new BenchmarkOptions { Model = "/m", MaxConcurrency = 16, NumPrompts = 128, IgnoreEos = true });

        using (Assert.EnterMultipleScope())
        {
            Assert.That(rendered, Does.StartWith("Namespace(backend='openai', base_url=None, burstiness=1.0, "));
            Assert.That(rendered, Does.Contain(", host='127.0.0.1', ignore_eos=True, "));
            Assert.That(rendered, Does.Contain(", max_concurrency=16, "));
            Assert.That(rendered, Does.Contain(", request_rate=inf, "));
            Assert.That(rendered, Does.EndWith(", use_chat_template=False)"));
        }
    }

    [TestCase("it's", "\"it's\"")]
    [TestCase("plain", "'plain'")]
    [TestCase("a'b\"c", "'a\\'b\"c'")]
    public void QuoteFollowsPythonQuoteChoice(string value, string expected) =>
        Assert.That(PyRepr.Quote(value), Is.EqualTo(expected));
}
