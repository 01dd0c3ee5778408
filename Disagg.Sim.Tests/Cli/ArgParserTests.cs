using Disagg.Sim.Benchmark;
using Disagg.Sim.Cli;
using Disagg.Sim.DisaggServer;
using Disagg.Sim.Worker;

namespace Disagg.Sim.Tests.Cli;

[TestFixture]
public sealed class ArgParserTests
{
    [TestCase("--num-promts", "--num-prompts")]
    [TestCase("--max-concurency", "--max-concurrency")]
    [TestCase("--non_streaming", "--non-streaming")]
    [TestCase("--percentile-metric", "--percentile-metrics")]
    public void UnknownFlagNamesTheNearestValidFlag(string typo, string nearest)
    {
        var ex = Assert.Throws<UsageException>(() => ArgParser.Parse(BenchmarkCli.Spec, ["--model", "m", typo, "3"]));

        Assert.That(ex!.Message, Is.EqualTo($"unrecognized argument '{typo}' for 'benchmark' (did you mean '{nearest}'?)"));
    }

    [Test]
    public void ParsesValuesSwitchesInlineValuesAndAliases()
    {
        var parsed = ArgParser.Parse(DisaggServerOptions.Spec, ["-c", "server.yaml", "-t", "7200", "--request_timeout=60"]);
        var options = DisaggServerOptions.From(parsed);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(options.ConfigPath, Is.EqualTo("server.yaml"));
            Assert.That(options.StartTimeout, Is.EqualTo(TimeSpan.FromSeconds(7200)));
            Assert.That(options.RequestTimeout, Is.EqualTo(TimeSpan.FromSeconds(60)));
        }
    }

    [Test]
    public void MissingValueIsAnError() =>
        Assert.That(() => ArgParser.Parse(BenchmarkCli.Spec, ["--model", "m", "--num-prompts"]),
            Throws.TypeOf<UsageException>().With.Message.EqualTo("argument --num-prompts: expected one argument"));

    [Test]
    public void InvalidIntIsAnError()
    {
        var parsed = ArgParser.Parse(BenchmarkCli.Spec, ["--model", "m", "--num-prompts", "lots"]);

        Assert.That(() => BenchmarkCli.ReadOptions(parsed),
            Throws.TypeOf<UsageException>().With.Message.EqualTo("argument --num-prompts: invalid int value: 'lots'"));
    }

    [TestCase("../../victim.json")]
    [TestCase("sub/result.json")]
    [TestCase("..")]
    [TestCase("a\nb.json")]
    public void ResultFilenameWithFoldersIsAnError(string name)
    {
        var parsed = ArgParser.Parse(BenchmarkCli.Spec, ["--model", "m", "--result-filename", name]);

        Assert.That(() => BenchmarkCli.ReadOptions(parsed),
            Throws.TypeOf<UsageException>().With.Message
                .EqualTo($"argument --result-filename: '{name}' is not a plain file name; put the folder in --result-dir"));
    }

    [Test]
    public void RequiredFlagsAreListed() =>
        Assert.That(() => ArgParser.Parse(WorkerOptions.Spec, ["--role", "ctx"]),
            Throws.TypeOf<UsageException>().With.Message.EqualTo("the following arguments are required: --port, --config"));

    [Test]
    public void ChoicesAreEnforcedWithASuggestion() =>
        Assert.That(() => ArgParser.Parse(WorkerOptions.Spec, ["--role", "gne", "--port", "1", "--config", "x"]),
            Throws.TypeOf<UsageException>().With.Message.EqualTo("argument --role: invalid choice: 'gne' (choose from 'ctx', 'gen') (did you mean 'gen'?)"));

    [Test]
    public void HelpStopsParsing() =>
        Assert.That(ArgParser.Parse(WorkerOptions.Spec, ["--help", "--bogus"]).HelpRequested, Is.True);

    [Test]
    public void MetadataTakesSeveralValues()
    {
        var parsed = ArgParser.Parse(BenchmarkCli.Spec, ["--model", "m", "--metadata", "a=1", "b=2", "--seed", "3"]);

        var options = BenchmarkCli.ReadOptions(parsed);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(options.Metadata, Is.EqualTo(new[] { "a=1", "b=2" }));
            Assert.That(options.Seed, Is.EqualTo(3));
        }
    }

    [Test]
    public void CommaInConcurrencyListIsRejected() =>
        Assert.That(() => LoopOptions.ParseConcurrencyList("1,2,4"),
            Throws.TypeOf<UsageException>().With.Message.Contains("contains a comma").And.Message.Contains("'1 2 4'"));

    [Test]
    public void ConcurrencyListIsSpaceSeparated() =>
        Assert.That(LoopOptions.ParseConcurrencyList(" 1  4 16 "), Is.EqualTo(new[] { 1, 4, 16 }));

    [Test]
    public void LoopFlagsRequireTheConcurrencyList()
    {
        var parsed = ArgParser.Parse(BenchmarkCli.Spec, ["--model", "m", "--multi-round", "2"]);

        Assert.That(() => BenchmarkCli.ReadLoop(parsed),
            Throws.TypeOf<UsageException>().With.Message.EqualTo("argument --multi-round: only valid together with --concurrency-list"));
    }

    [Test]
    public void UnknownPercentileMetricIsRejected()
    {
        var parsed = ArgParser.Parse(BenchmarkCli.Spec, ["--model", "m", "--percentile-metrics", "ttft,tpto"]);

        Assert.That(() => BenchmarkCli.ReadOptions(parsed),
            Throws.TypeOf<UsageException>().With.Message.Contains("unknown metric 'tpto' (did you mean 'tpot'?)"));
    }
}
