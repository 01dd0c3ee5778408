namespace Disagg.Sim.Common;

/// <summary>An insertion-ordered string-keyed map, like a Python dict, for JSON output with a fixed key order.</summary>
internal sealed class PyDict : List<KeyValuePair<string, object?>>
{
    public void Add(string key, object? value) => Add(new KeyValuePair<string, object?>(key, value));

    public object? this[string key]
    {
        get => this.FirstOrDefault(p => string.Equals(p.Key, key, StringComparison.Ordinal)).Value;
    }
}
