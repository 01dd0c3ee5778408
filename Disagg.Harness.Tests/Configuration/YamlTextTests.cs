using Disagg.Harness.Configuration;
using FluentAssertions;

namespace Disagg.Harness.Tests.Configuration;

/// <summary>Parser errors located where the problem is: YamlDotNet itself reports a tab used as indentation at 1:1.</summary>
public sealed class YamlTextTests
{
    [Test]
    public void A_tab_used_as_indentation_is_reported_at_the_tab()
    {
        var text = ConfigText.SmokeWith("  job_name: disagg-smoke", "\tjob_name: disagg-smoke");
        ConfigText.Errors(text).Should().Equal("broken.yaml:14:1: malformed YAML: a tab is used for indentation; YAML allows only spaces there");
    }

    [Test]
    public void A_tab_inside_a_value_is_fine()
    {
        var config = ConfigLoader.Parse(ConfigText.SmokeWith("  precision: fp16", "  precision: \"fp\t16\""), "ok.yaml");
        config.Metadata.Precision.Should().Be("fp\t16");
    }
}
