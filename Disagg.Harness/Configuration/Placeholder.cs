namespace Disagg.Harness.Configuration;

/// <summary>The reference samples use <c>&lt;partition&gt;</c>-style placeholders; a placeholder is unset, never a value.</summary>
public static class Placeholder
{
    public static bool Is(string? value) =>
        value is { Length: >= 2 } v && v[0] == '<' && v[^1] == '>';

    public static string OrEmpty(string? value) => value is null || Is(value) ? "" : value;

    public static string? OrNull(string? value) => value is null || Is(value) || value.Length == 0 ? null : value;
}
