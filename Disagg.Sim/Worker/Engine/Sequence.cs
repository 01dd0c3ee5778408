using System.Threading.Channels;

namespace Disagg.Sim.Worker.Engine;

/// <summary>
/// One request inside the scheduler. The scheduler loop is the only writer; the HTTP handler reads
/// <see cref="Output"/> to stream tokens.
/// </summary>
internal sealed class Sequence
{
    private readonly Channel<TokenChunk> _output =
        Channel.CreateUnbounded<TokenChunk>(new UnboundedChannelOptions { SingleReader = true, SingleWriter = true });

    private int _unflushed;

    public Sequence(long id, int promptTokens, int maxTokens, bool contextOnly, int streamInterval, CancellationToken cancellationToken)
    {
        Id = id;
        PromptTokens = promptTokens;
        MaxTokens = contextOnly ? 1 : Math.Max(1, maxTokens);
        ContextOnly = contextOnly;
        PrefillRemaining = promptTokens;
        StreamInterval = streamInterval;
        CancellationToken = cancellationToken;
    }

    public long Id { get; }

    /// <summary>The benchmark block's concurrency and id (<c>sim_block</c>), for the noise model; null for other clients.</summary>
    public int? SimConcurrency { get; init; }

    public string? SimBlock { get; init; }

    public int PromptTokens { get; }

    public int MaxTokens { get; }

    public bool ContextOnly { get; }

    public int StreamInterval { get; }

    public int PrefillRemaining { get; set; }

    public int Generated { get; private set; }

    public bool Finished => Generated >= MaxTokens;

    /// <summary>The client went away or the server is stopping.</summary>
    public CancellationToken CancellationToken { get; }

    public bool IsCancelled => CancellationToken.IsCancellationRequested;

    public ChannelReader<TokenChunk> Output => _output.Reader;

    /// <summary>Records one generated token and publishes a chunk on the first token, every stream_interval tokens and at the end.</summary>
    public void EmitToken()
    {
        Generated++;
        _unflushed++;
        if (Generated == 1 || _unflushed >= StreamInterval || Finished)
        {
            _output.Writer.TryWrite(new TokenChunk(Generated - _unflushed, _unflushed, Finished));
            _unflushed = 0;
        }

        if (Finished)
        {
            _output.Writer.TryComplete();
        }
    }

    /// <summary>Ends the output without finishing (cancelled or server stopping).</summary>
    public void Abort(Exception? error = null) => _output.Writer.TryComplete(error);
}
