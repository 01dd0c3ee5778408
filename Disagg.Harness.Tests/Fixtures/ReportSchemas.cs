using System.Xml;
using System.Xml.Linq;
using System.Xml.Schema;

namespace Disagg.Harness.Tests.Fixtures;

/// <summary>Validates report files against the CI consumers' own schemas (Fixtures/schemas, see ORIGIN.md there).</summary>
public static class ReportSchemas
{
    public const string Junit = "junit-10.xsd";
    public const string Trx = "vstst.xsd";

    /// <summary>Every validation error and warning, as "line:column: message"; empty when the document is valid.</summary>
    public static IReadOnlyList<string> Validate(string xml, string schemaFile)
    {
        var schemas = new XmlSchemaSet { XmlResolver = null };
        using (var reader = XmlReader.Create(FixturePaths.Fixture("schemas", schemaFile), new XmlReaderSettings { DtdProcessing = DtdProcessing.Ignore }))
            schemas.Add(null, reader);
        schemas.Compile();
        var errors = new List<string>();
        var settings = new XmlReaderSettings { ValidationType = ValidationType.Schema, Schemas = schemas, DtdProcessing = DtdProcessing.Prohibit };
        settings.ValidationFlags |= XmlSchemaValidationFlags.ReportValidationWarnings;
        settings.ValidationEventHandler += (_, e) => errors.Add($"{e.Exception.LineNumber}:{e.Exception.LinePosition}: {e.Severity}: {e.Message}");
        using var stringReader = new StringReader(xml);
        using var validating = XmlReader.Create(stringReader, settings);
        while (validating.Read()) { }
        return errors;
    }

    /// <summary>The text of every <c>[[ATTACHMENT|path]]</c> of a test case's system-out, in order.</summary>
    public static IReadOnlyList<string> Attachments(XElement testcase) =>
        System.Text.RegularExpressions.Regex.Matches(testcase.Element("system-out")?.Value ?? "", @"\[\[ATTACHMENT\|(?<p>.+?)\]\]")
            .Select(m => m.Groups["p"].Value).ToList();
}
