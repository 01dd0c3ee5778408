namespace Disagg.Harness.Publishing;

/// <summary>A server-config field with its base name (e.g. <c>l_tp</c>) and a long, double, string or bool value.</summary>
public sealed record TypedField(string Key, object Value);
