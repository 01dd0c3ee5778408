namespace Disagg.Harness.Common;

/// <summary>
/// One kind of fatal line in a server, client or job log, whose fault it is, and where a real instance of the line was
/// seen (a public issue), for the signatures that decide a class other than <see cref="FailureClass.Product"/>.
/// </summary>
public sealed record FailureSignature(string Name, string Text, FailureClass Class = FailureClass.Product, string? Origin = null);
