using System.Text;
using Disagg.Harness.Configuration;
using Disagg.Harness.TestLists;
using FluentAssertions;

namespace Disagg.Harness.Tests.Configuration;

/// <summary>Configs, lists and profiles are strict UTF-8: a stray byte is refused at its line and column instead of becoming U+FFFD.</summary>
public sealed class InputFileTests
{
    private string _dir = "";

    [SetUp]
    public void CreateFolder() => _dir = Directory.CreateTempSubdirectory("disagg-input-").FullName;

    [TearDown]
    public void RemoveFolder() => Directory.Delete(_dir, recursive: true);

    private string Write(string name, byte[] bytes)
    {
        var path = Path.Combine(_dir, name);
        File.WriteAllBytes(path, bytes);
        return path;
    }

    [Test]
    public void A_latin1_byte_in_a_config_is_refused_at_its_line_and_column()
    {
        var text = ConfigText.SmokeWith("  model_path: sim-tiny", "  model_path: sim-tiny-\u00e9");
        var bytes = Encoding.UTF8.GetBytes(text);
        var at = Array.IndexOf(bytes, (byte)0xC3);
        bytes[at] = 0xE9;
        bytes[at + 1] = (byte)' ';
        var path = Write("latin1.yaml", bytes);
        var e = Assert.Throws<ConfigException>(() => ConfigLoader.Load(path))!;
        e.Errors.Single().ToString().Should().Be($"{path}:34:24: byte 0xE9 at offset {at} is not UTF-8; save the file as UTF-8");
    }

    [Test]
    public void A_stray_byte_in_a_test_list_is_refused_too()
    {
        var path = Write("list.txt", [.. "disagg_perf_a\n"u8, 0x64, 0xFF, 0x0A]);
        var e = Assert.Throws<ConfigException>(() => TestListParser.Load(path))!;
        e.Errors.Single().ToString().Should().Be($"{path}:2:2: byte 0xFF at offset 15 is not UTF-8; save the file as UTF-8");
    }

    [Test]
    public void A_byte_order_mark_and_multibyte_text_are_fine()
    {
        var text = ConfigText.SmokeWith("  precision: fp16", "  precision: \"fp16 \u2014 \u00fcber \U0001F680\"");
        var path = Write("bom.yaml", [.. Encoding.UTF8.GetPreamble(), .. Encoding.UTF8.GetBytes(text)]);
        ConfigLoader.Load(path).Metadata.Precision.Should().Be("fp16 \u2014 \u00fcber \U0001F680");
    }
}
