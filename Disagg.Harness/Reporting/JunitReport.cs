using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using System.Xml;
using System.Xml.Linq;

namespace Disagg.Harness.Reporting;

/// <summary>
/// Turns the JUnit file that JunitXml.TestLogger writes into one every CI consumer reads whole. The Jenkins xUnit
/// plugin validates against junit-10.xsd, which rejects <c>&lt;properties&gt;</c> inside <c>&lt;testcase&gt;</c> and
/// suite times with more than three decimals; GitLab and the Jenkins junit step are laxer, so a file valid there is
/// read by all three. What changes:
/// <list type="bullet">
/// <item>each test case is wrapped in its own <c>&lt;testsuite name="&lt;test id&gt;"&gt;</c> whose
/// <c>&lt;properties&gt;</c> hold its NUnit categories (<c>Category</c>) and NUnit properties (the only place the
/// schema allows properties; GitLab and the Jenkins junit step read nested suites);</item>
/// <item>times have three decimals;</item>
/// <item>a skipped test's reason (its waiver URL) is in <c>&lt;skipped message="…"&gt;</c>;</item>
/// <item><c>[[ATTACHMENT|…]]</c> paths are relative to the CI project folder, the diagnosis archive first
/// (see <see cref="AttachmentPath"/>).</item>
/// </list>
/// Failure messages and bodies are kept as written. Running it twice gives the same file.
/// </summary>
public static partial class JunitReport
{
    public const string FileName = "disagg-perf.junit.xml";

    /// <summary>The property name NUnit itself uses for categories in its result XML.</summary>
    public const string CategoryProperty = "Category";

    [GeneratedRegex(@"\[\[ATTACHMENT\|(?<path>[^\]|]+)(\|[^\]]*)?\]\][ \t]*(\r?\n)?")]
    private static partial Regex AttachmentTag();

    /// <summary>Categories of a test id, given its NUnit <c>Mode</c> property when a test-db list set one.</summary>
    public delegate IReadOnlyList<string> CategoryLookup(string testId, string? mode);

    /// <summary>Rewrites <paramref name="junit"/> in place; returns one warning per attachment a CI server cannot open.</summary>
    public static IReadOnlyList<string> Rewrite(XDocument junit, string projectDir, CategoryLookup categories)
    {
        var root = junit.Root ?? throw new InvalidDataException("the JUnit file has no root element");
        var top = root.Name.LocalName switch
        {
            "testsuites" => root.Elements("testsuite").ToList(),
            "testsuite" => [root],
            _ => throw new InvalidDataException($"the JUnit root element is <{root.Name.LocalName}>; expected <testsuites> or <testsuite>"),
        };
        var warnings = new List<string>();
        FormatTime(root);
        foreach (var suite in top)
        {
            FormatTime(suite);
            // Suites wrapped by an earlier run: only the idempotent fixes apply.
            foreach (var nested in suite.Elements("testsuite").ToList())
            {
                FormatTime(nested);
                foreach (var testcase in nested.Elements("testcase")) FixCase(testcase, nested, projectDir, warnings);
            }
            foreach (var testcase in suite.Elements("testcase").ToList())
            {
                var id = TestId((string?)testcase.Attribute("name") ?? "");
                var wrapper = new XElement("testsuite", new XAttribute("name", id));
                testcase.ReplaceWith(wrapper);
                wrapper.Add(testcase);
                FixCase(testcase, wrapper, projectDir, warnings);
                var properties = wrapper.Element("properties")!;
                var mode = properties.Elements("property").FirstOrDefault(p => (string?)p.Attribute("name") == "Mode")?.Attribute("value")?.Value;
                properties.AddFirst(categories(id, mode).Select(c => Property(CategoryProperty, c)));
                SetCounts(wrapper, testcase);
            }
        }
        return warnings;
    }

    /// <summary>Loads, rewrites and saves a JUnit file (UTF-8 without BOM, written to a temp file and moved into place).</summary>
    public static IReadOnlyList<string> RewriteFile(string path, string projectDir, CategoryLookup categories)
    {
        var doc = XDocument.Load(path);
        var warnings = Rewrite(doc, projectDir, categories);
        var temp = path + ".tmp";
        // Indenting never touches text content: XmlWriter does not indent elements that hold text (system-out, failure).
        var settings = new XmlWriterSettings { Encoding = new UTF8Encoding(false), Indent = true };
        using (var writer = XmlWriter.Create(temp, settings)) doc.Save(writer);
        File.Move(temp, path, overwrite: true);
        return warnings;
    }

    /// <summary>The test id in a case name such as <c>PerfTests.Run(&lt;id&gt;)</c>; any other name as it is.</summary>
    public static string TestId(string caseName)
    {
        var open = caseName.IndexOf('(', StringComparison.Ordinal);
        return open >= 0 && caseName.EndsWith(')') ? caseName[(open + 1)..^1] : caseName;
    }

    private static void FixCase(XElement testcase, XElement suite, string projectDir, List<string> warnings)
    {
        FormatTime(testcase);
        var properties = suite.Element("properties");
        if (properties is null)
        {
            properties = new XElement("properties");
            suite.AddFirst(properties);
        }
        foreach (var inner in testcase.Elements("properties").ToList())
        {
            properties.Add(inner.Elements("property"));
            inner.Remove();
        }
        if (testcase.Element("skipped") is { } skipped && string.IsNullOrWhiteSpace((string?)skipped.Attribute("message")))
        {
            // The logger leaves <skipped /> empty and writes the reason (the waiver URL) to system-out.
            var reason = skipped.Value.Trim() is { Length: > 0 } text ? text : testcase.Element("system-out")?.Value.Trim() ?? "";
            if (reason.Length > 0)
            {
                skipped.SetAttributeValue("message", reason);
                if (skipped.Value.Trim().Length == 0) skipped.Value = reason;
            }
        }
        if (testcase.Element("system-out") is { } output)
            output.Value = RewriteAttachments(output.Value, projectDir, (string?)testcase.Attribute("name"), warnings);
    }

    private static string RewriteAttachments(string text, string projectDir, string? caseName, List<string> warnings)
    {
        var found = AttachmentTag().Matches(text).Select(m => m.Groups["path"].Value.Trim()).ToList();
        if (found.Count == 0) return text;
        var paths = new List<string>();
        foreach (var path in found)
        {
            if (AttachmentPath.Relative(path, projectDir) is { } relative)
            {
                if (!File.Exists(Path.Combine(projectDir, relative)))
                    warnings.Add($"{caseName}: attachment {relative} does not exist under {projectDir}; CI cannot open it");
                paths.Add(relative);
            }
            else
            {
                warnings.Add($"{caseName}: attachment {path} is outside the CI project folder {projectDir}; GitLab and Jenkins cannot open it " +
                             "(put --results-dir under the project folder)");
                paths.Add(path);
            }
        }
        var rest = AttachmentTag().Replace(text, "").TrimEnd('\r', '\n');
        var sb = new StringBuilder(rest);
        if (rest.Length > 0) sb.Append('\n');
        foreach (var p in AttachmentPath.Ordered(paths)) sb.Append("[[ATTACHMENT|").Append(p).Append("]]\n");
        return sb.ToString();
    }

    private static void SetCounts(XElement wrapper, XElement testcase)
    {
        int Has(string element) => testcase.Element(element) is null ? 0 : 1;
        wrapper.SetAttributeValue("tests", "1");
        wrapper.SetAttributeValue("failures", Has("failure").ToString(CultureInfo.InvariantCulture));
        wrapper.SetAttributeValue("errors", Has("error").ToString(CultureInfo.InvariantCulture));
        wrapper.SetAttributeValue("skipped", Has("skipped").ToString(CultureInfo.InvariantCulture));
        if (testcase.Attribute("time") is { } time) wrapper.SetAttributeValue("time", time.Value);
    }

    /// <summary>Seconds with at most three decimals: junit-10.xsd's SUREFIRE_TIME rejects the logger's seven.</summary>
    private static void FormatTime(XElement element)
    {
        if (element.Attribute("time") is not { } time) return;
        time.Value = double.TryParse(time.Value, NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds) && seconds >= 0
            ? seconds.ToString("0.000", CultureInfo.InvariantCulture)
            : "0.000";
    }

    private static XElement Property(string name, string value) => new("property", new XAttribute("name", name), new XAttribute("value", value));
}
