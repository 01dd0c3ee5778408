using Disagg.Sim.Common;

namespace Disagg.Sim.Benchmark.Datasets;

/// <summary>
/// The <c>random</c> dataset: prompts of <c>prefix + U[len·(1-r), len·(1+r)]</c> words and the same range for output
/// lengths, drawn with the seed. The SA client draws from <c>U[len·r, len]</c> instead, so its lengths never exceed
/// the configured ones.
/// </summary>
internal static class RandomDataset
{
    public static IReadOnlyList<SampleRequest> Sample(
        int numRequests, int prefixLen, int inputLen, int outputLen, double rangeRatio, int seed, bool saLengths = false)
    {
        var random = new Random(seed);
        var prefix = prefixLen > 0 ? WordVocabulary.RandomPrompt(random, prefixLen) + " " : string.Empty;
        var samples = new List<SampleRequest>(numRequests);
        for (var i = 0; i < numRequests; i++)
        {
            var input = saLengths ? DrawAtMost(random, inputLen, rangeRatio) : Draw(random, inputLen, rangeRatio);
            var output = saLengths ? DrawAtMost(random, outputLen, rangeRatio) : Draw(random, outputLen, rangeRatio);
            var prompt = prefix + WordVocabulary.RandomPrompt(random, input);
            samples.Add(new SampleRequest(prompt, prefixLen + input, output));
        }

        return samples;
    }

    private static int DrawAtMost(Random random, int length, double ratio) =>
        random.Next(Math.Max(1, (int)(length * ratio)), length + 1);

    private static int Draw(Random random, int length, double ratio)
    {
        var low = Math.Max(1, (int)Math.Floor(length * (1 - ratio)));
        var high = Math.Max(low, (int)Math.Floor(length * (1 + ratio)));
        return random.Next(low, high + 1);
    }
}
