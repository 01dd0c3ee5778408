using System.Globalization;

namespace Disagg.Sim.Dataset;

/// <summary>
/// One line of a mooncake_trace dataset: <c>{"timestamp": ms, "input_length": ISL, "output_length": OSL, "hash_ids": [...]}</c>,
/// one hash id per 512-token block of the prompt (distinct per line, so no two prompts share a cached prefix), 100 ms apart.
/// </summary>
internal static class MooncakeTraceLine
{
    public const int BlockTokens = 512;

    public static string Render(int index, int inputLength, int outputLength)
    {
        var blocks = (inputLength + BlockTokens - 1) / BlockTokens;
        var first = (long)index * blocks;
        var ids = string.Join(", ", Enumerable.Range(0, blocks).Select(b => (first + b).ToString(CultureInfo.InvariantCulture)));
        return string.Create(CultureInfo.InvariantCulture,
            $"{{\"timestamp\": {index * 100L}, \"input_length\": {inputLength}, \"output_length\": {outputLength}, \"hash_ids\": [{ids}]}}");
    }
}
