using System.Text.Json;
using Disagg.Sim.Common;

namespace Disagg.Sim.Benchmark.Datasets;

/// <summary>
/// The <c>trtllm_custom</c> JSONL dataset: <c>{"input":{"messages":[{system},{user}],"max_tokens":N}}</c> per line. The
/// prompt is <c>messages[1].content</c>; lines are shuffled with the seed and the first <c>num_prompts</c> are used
/// (no oversampling: a shorter file runs fewer requests, as the real client does).
/// </summary>
internal static class CustomDataset
{
    public static IReadOnlyList<SampleRequest> Sample(string path, int numRequests, int seed)
    {
        if (!File.Exists(path))
        {
            throw new ConfigException($"{path}: dataset file not found");
        }

        var samples = new List<SampleRequest>();
        var lineNumber = 0;
        foreach (var line in File.ReadLines(path))
        {
            lineNumber++;
            if (!string.IsNullOrWhiteSpace(line))
            {
                samples.Add(ParseLine(path, lineNumber, line));
            }
        }

        Shuffle(samples, new Random(seed));
        return samples.Take(numRequests).ToList();
    }

    private static SampleRequest ParseLine(string path, int lineNumber, string line)
    {
        try
        {
            using var doc = JsonDocument.Parse(line);
            var input = doc.RootElement.GetProperty("input");
            var messages = input.GetProperty("messages");
            if (messages.GetArrayLength() < 2)
            {
                throw ConfigException.At(path, lineNumber,
                    "IndexError: list index out of range (input.messages needs a system message at [0] and the prompt at [1])");
            }

            var prompt = messages[1].GetProperty("content").GetString() ?? string.Empty;
            var maxTokens = input.GetProperty("max_tokens").GetInt32();
            return new SampleRequest(prompt, WordVocabulary.CountTokens(prompt), maxTokens);
        }
        catch (Exception ex) when (ex is JsonException or KeyNotFoundException or InvalidOperationException or FormatException)
        {
            throw ConfigException.At(path, lineNumber, $"invalid trtllm_custom line: {ex.Message}");
        }
    }

    private static void Shuffle<T>(List<T> items, Random random)
    {
        for (var i = items.Count - 1; i > 0; i--)
        {
            var j = random.Next(i + 1);
            (items[i], items[j]) = (items[j], items[i]);
        }
    }
}
