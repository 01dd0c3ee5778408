namespace Disagg.Harness.Configuration;

/// <summary>A <c>&lt;placeholder&gt;</c> value in a config: the key it stands at, the text, and its line and column.</summary>
public sealed record PlaceholderField(string KeyPath, string Text, int Line, int Column);
