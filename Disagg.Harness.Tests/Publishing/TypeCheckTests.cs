using Disagg.Harness.Publishing;

namespace Disagg.Harness.Tests.Publishing;

public sealed class TypeCheckTests
{
    [TestCase("""{"l_tp": 1}""")]
    [TestCase("""{"d_x": 5.0}""")]
    [TestCase("""{"d_x": 1e5}""")]
    [TestCase("""{"s_x": ""}""")]
    [TestCase("""{"b_x": false}""")]
    [TestCase("""{"ts_created": 1735786800000}""")]
    [TestCase("""{"flat_x": {"a": 1}}""")]
    [TestCase("""{"ni_x": "a"}""")]
    [TestCase("""{"ni_x": 2.5}""")]
    [TestCase("""{"_id": "abc", "@timestamp": "2025-01-01T00:00:00Z"}""")]
    public void Accepts(string doc) => Assert.That(DocumentTypeCheck.Check($"[{doc}]"), Is.Empty);

    [TestCase("""{"l_tp": 1.0}""", "l_tp")]
    [TestCase("""{"l_tp": "1"}""", "l_tp")]
    [TestCase("""{"d_x": 5}""", "d_x")]
    [TestCase("""{"d_x": null}""", "d_x")]
    [TestCase("""{"s_x": 3}""", "s_x")]
    [TestCase("""{"b_x": "true"}""", "b_x")]
    [TestCase("""{"ts_x": 1.5}""", "ts_x")]
    [TestCase("""{"flat_x": [1]}""", "flat_x")]
    [TestCase("""{"ni_x": true}""", "ni_x")]
    [TestCase("""{"tp": 1}""", "tp")]
    public void Rejects_naming_the_field(string doc, string field)
    {
        var problems = DocumentTypeCheck.Check($"[{{\"s_ok\": \"x\"}}, {doc}]");
        Assert.That(problems, Has.Count.EqualTo(1));
        Assert.That(problems[0], Does.StartWith("document 1").And.Contain($"field '{field}'"));
    }
}
