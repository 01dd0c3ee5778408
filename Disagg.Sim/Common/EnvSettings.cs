using System.Globalization;

namespace Disagg.Sim.Common;

/// <summary>Reads numeric simulator settings from environment variables, with clear errors for bad values.</summary>
internal static class EnvSettings
{
    public static double NonNegative(string name, double fallback)
    {
        var raw = Environment.GetEnvironmentVariable(name);
        if (string.IsNullOrWhiteSpace(raw))
        {
            return fallback;
        }

        if (double.TryParse(raw, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) && value >= 0 && double.IsFinite(value))
        {
            return value;
        }

        throw new ConfigException($"environment variable {name} must be a non-negative number, got '{raw}'");
    }

    public static bool Flag(string name, bool fallback)
    {
        var raw = Environment.GetEnvironmentVariable(name);
        return raw switch
        {
            null or "" => fallback,
            "1" or "true" or "True" or "yes" => true,
            "0" or "false" or "False" or "no" => false,
            _ => throw new ConfigException($"environment variable {name} must be 0 or 1, got '{raw}'"),
        };
    }
}
