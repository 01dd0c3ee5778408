using System.Diagnostics;
using Disagg.Harness.Configuration;
using Disagg.Harness.TestLists;
using Disagg.Harness.Tests.Fixtures;
using FluentAssertions;

namespace Disagg.Harness.Tests.Configuration;

/// <summary>
/// Feeds deterministic, randomly broken configs and lists (all three formats) to the loaders. Every input must
/// either load or fail with a <see cref="ConfigException"/> whose errors are all located messages.
/// </summary>
public sealed class LoaderFuzzTests
{
    private const int Inputs = 12_000;
    private const string Alphabet = ":-[]{}#&*!|>'\"%@`, \n\t?0123456789abcxyz_.()=~";

    [Test]
    public void Malformed_inputs_never_escape_as_anything_but_ConfigException()
    {
        var seeds = new[]
        {
            (Kind: "config", Text: File.ReadAllText(FixturePaths.Fixture("configs", "smoke.yaml"))),
            (Kind: "config", Text: File.ReadAllText(FixturePaths.Fixture("samples", "deepseek-r1-fp4_1k1k_ctx2_gen1_dep16_bs128_eplb288_mtp3_ccb-NIXL.yaml"))),
            (Kind: "list", Text: File.ReadAllText(FixturePaths.Fixture("samples", "disagg.txt"))),
            (Kind: "list", Text: File.ReadAllText(
                FixturePaths.Fixture("samples", "l0_gb200_multi_nodes_disagg_perf_sanity_ctx1_node1_gpu4_gen1_node2_gpu8.yml"))),
        };
        var props = SystemProperties.Parse(["gpu=gb200", "system_gpu_count=12", "stage=post_merge", "backend=pytorch"]);
        var random = new Random(20240607);
        var escaped = new List<string>();
        var (loaded, rejected) = (0, 0);
        var clock = Stopwatch.StartNew();
        for (var i = 0; i < Inputs; i++)
        {
            var seed = seeds[i % seeds.Length];
            var text = Mutate(seed.Text, random);
            try
            {
                if (seed.Kind == "config") ConfigLoader.Parse(text, "fuzz.yaml");
                else TestListParser.Parse(text, "fuzz.txt", props);
                loaded++;
            }
            catch (ConfigException e)
            {
                rejected++;
                if (e.Errors.Count == 0 || e.Errors.Any(x => string.IsNullOrWhiteSpace(x.Message) || x.File.Length == 0))
                    escaped.Add($"input {i}: ConfigException without a located message");
            }
#pragma warning disable CA1031 // the point of the test is to catch everything else
            catch (Exception e)
#pragma warning restore CA1031
            {
                escaped.Add($"input {i} ({seed.Kind}): {e.GetType().Name}: {e.Message}");
            }
        }
        clock.Stop();
        // Speed is printed, not asserted: a loaded CI machine must not turn a correct parser red.
        TestContext.Out.WriteLine($"{Inputs} inputs in {clock.Elapsed.TotalSeconds:0.00} s: {loaded} loaded, {rejected} rejected with ConfigException");
        escaped.Should().BeEmpty();
        rejected.Should().BeGreaterThan(Inputs / 2, "most mutations must actually break the input");
    }

    private static string Mutate(string text, Random random)
    {
        var chars = new System.Text.StringBuilder(text);
        var edits = random.Next(1, 6);
        for (var e = 0; e < edits && chars.Length > 0; e++)
        {
            var at = random.Next(chars.Length);
            switch (random.Next(6))
            {
                case 0: chars.Remove(at, Math.Min(random.Next(1, 40), chars.Length - at)); break;
                case 1: chars.Insert(at, Alphabet[random.Next(Alphabet.Length)]); break;
                case 2: chars[at] = Alphabet[random.Next(Alphabet.Length)]; break;
                case 3: chars.Length = at; break;
                case 4:
                    var start = random.Next(chars.Length);
                    var len = Math.Min(random.Next(1, 60), chars.Length - start);
                    chars.Insert(at, chars.ToString(start, len));
                    break;
                default: chars.Insert(at, new string(' ', random.Next(1, 5))); break;
            }
        }
        return chars.ToString();
    }
}
