using Disagg.Harness.Configuration;
using FluentAssertions;

namespace Disagg.Harness.Tests.Configuration;

/// <summary>The name rules: what passes, what does not, and that a trailing newline (which .NET's $ accepts) never does.</summary>
public sealed class NamesTests
{
    [TestCase("TLLM_LOG_LEVEL")]
    [TestCase("_x1")]
    [TestCase("a")]
    public void Posix_environment_names_pass(string name) => Names.EnvVar(name).Should().BeNull();

    [TestCase("")]
    [TestCase("1A")]
    [TestCase("A-B")]
    [TestCase("A B")]
    [TestCase("A\n")]
    [TestCase("$(id)")]
    [TestCase("A=B")]
    [TestCase("\u00c4")]
    public void Anything_else_is_not_an_environment_name(string name) => Names.EnvVar(name).Should().NotBeNull();

    [TestCase("gsm8k\n")]
    [TestCase("gsm8k;id")]
    [TestCase("../x")]
    [TestCase(".hidden")]
    [TestCase("a/b")]
    public void Task_names_are_words(string name) => Names.Task(name).Should().NotBeNull();

    [Test]
    public void A_name_over_the_length_limit_is_refused() =>
        Names.EnvVar(new string('A', InputLimits.MaxNameLength + 1)).Should().Be($"'{new string('A', 80)}... (129 characters)' is longer than 128 characters");

    [TestCase("--gres=gpu:4")]
    [TestCase("--exclusive")]
    [TestCase("--nodelist=node[1-4]")]
    [TestCase("-p")]
    public void Sbatch_options_pass(string option) => Names.SbatchOption(option).Should().BeNull();

    [TestCase("gpu")]
    [TestCase("--wrap=\"id\"")]
    [TestCase("--comment=$(id)")]
    [TestCase("--x=a\n")]
    public void Sbatch_option_lookalikes_do_not(string option) => Names.SbatchOption(option).Should().NotBeNull();

    [Test]
    public void Escape_makes_one_line_of_any_text() =>
        Names.Escape("a\nb\tc\u2028d\0").Should().Be("a\\nb\\tc\\u2028d\\u0000");

    [Test]
    public void A_test_id_with_a_trailing_newline_is_not_filter_safe() =>
        Disagg.Harness.Common.FilterSafeId.IsMatch("disagg_perf_x\n").Should().BeFalse();
}
