namespace Disagg.OpenSearchStandIn;

public sealed class StandInOptions
{
    /// <summary>0 picks a free loopback port.</summary>
    public int Port { get; init; }

    /// <summary>The credentials non-sandbox posts must carry in <c>Proxy-Authorization: Basic</c>. Null accepts no non-sandbox post.</summary>
    public string? User { get; init; }
    public string? Password { get; init; }

    /// <summary>How long a posted document stays invisible to <c>_search</c> (the real service answers 202 and indexes later).</summary>
    public TimeSpan VisibilityDelay { get; init; }

    public TimeProvider Time { get; init; } = TimeProvider.System;
}
