namespace Disagg.Sim.Common;

/// <summary>
/// The simulator's "tokenizer": one token per whitespace-separated word. Generated tokens and random prompts are
/// drawn from this fixed word list.
/// </summary>
internal static class WordVocabulary
{
    private static readonly string[] Words =
    [
        "the", "of", "and", "to", "in", "is", "that", "for", "it", "as", "was", "with", "be", "by", "on", "not",
        "he", "this", "are", "or", "his", "from", "at", "which", "but", "have", "an", "had", "they", "you", "were",
        "their", "one", "all", "we", "can", "her", "has", "there", "been", "if", "more", "when", "will", "would",
        "who", "so", "no", "time", "model", "token", "cache", "batch", "layer", "kernel", "tensor", "stream",
        "node", "server", "request", "memory", "engine", "value", "state",
    ];

    public static int Size => Words.Length;

    /// <summary>The word for a token id.</summary>
    public static string Word(int tokenId) => Words[(int)((uint)tokenId % (uint)Words.Length)];

    /// <summary>Counts tokens the simulator's way: whitespace-separated words.</summary>
    public static int CountTokens(string text) =>
        text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries).Length;

    /// <summary>A prompt of exactly <paramref name="tokens"/> words.</summary>
    public static string RandomPrompt(Random random, int tokens)
    {
        var words = new string[tokens];
        for (var i = 0; i < tokens; i++)
        {
            words[i] = Words[random.Next(Words.Length)];
        }

        return string.Join(' ', words);
    }
}
