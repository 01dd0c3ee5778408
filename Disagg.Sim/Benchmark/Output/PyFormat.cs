using System.Globalization;
using Disagg.Sim.Common;

namespace Disagg.Sim.Benchmark.Output;

/// <summary>The few Python <c>str.format</c> specs the result block uses.</summary>
internal static class PyFormat
{
    /// <summary><c>"{:<40} {:<10}"</c>.</summary>
    public static string IntLine(string label, long value) =>
        label.PadRight(40) + " " + value.ToString(CultureInfo.InvariantCulture).PadRight(10);

    /// <summary><c>"{:<40} {:<10.2f}"</c> (or another precision).</summary>
    public static string FloatLine(string label, double value, int decimals = 2) =>
        label.PadRight(40) + " " + PythonFloat.Fixed(value, decimals).PadRight(10);

    /// <summary><c>"{s:{c}^{n}}"</c>: centred, extra fill on the right.</summary>
    public static string Center(string text, int width, char fill)
    {
        if (text.Length >= width)
        {
            return text;
        }

        var left = (width - text.Length) / 2;
        return new string(fill, left) + text + new string(fill, width - text.Length - left);
    }
}
