using System.Text;
using Disagg.Sim.Common;

namespace Disagg.Sim.Worker.Http;

/// <summary>Deterministic token ids and text for one sequence.</summary>
internal sealed class GeneratedText(long sequenceId, int? firstTokenId)
{
    public int TokenId(int position) =>
        position == 0 && firstTokenId is { } first
            ? first
            : (int)(((ulong)sequenceId * 2654435761UL + (ulong)position * 40503UL) % 32000UL);

    /// <summary>Text of tokens <c>[start, start+count)</c>, each a space-prefixed word.</summary>
    public string Text(int start, int count)
    {
        var text = new StringBuilder(count * 6);
        for (var i = start; i < start + count; i++)
        {
            text.Append(' ').Append(WordVocabulary.Word(TokenId(i)));
        }

        return text.ToString();
    }
}
