namespace Disagg.Harness.Common;

/// <summary>One kind of fatal line in a server, client or job log.</summary>
public sealed record FailureSignature(string Name, string Text);
