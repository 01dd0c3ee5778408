using System.Globalization;

namespace Disagg.Sim.Common;

/// <summary>Formats doubles the way Python's <c>repr(float)</c> (and so <c>json.dumps</c>) does.</summary>
internal static class PythonFloat
{
    /// <summary>Shortest round-trip digits, scientific notation when the exponent is &lt; -4 or &gt;= 16.</summary>
    public static string Repr(double value)
    {
        if (double.IsNaN(value))
        {
            return "nan";
        }

        if (double.IsInfinity(value))
        {
            return value > 0 ? "inf" : "-inf";
        }

        if (value == 0)
        {
            return double.IsNegative(value) ? "-0.0" : "0.0";
        }

        var sign = value < 0 ? "-" : string.Empty;
        var (digits, pointPos) = ShortestDigits(Math.Abs(value));
        var exponent = pointPos - 1;
        if (exponent < -4 || exponent >= 16)
        {
            var mantissa = digits.Length > 1 ? $"{digits[0]}.{digits[1..]}" : digits;
            var expSign = exponent < 0 ? "-" : "+";
            return $"{sign}{mantissa}e{expSign}{Math.Abs(exponent).ToString("00", CultureInfo.InvariantCulture)}";
        }

        if (pointPos <= 0)
        {
            return $"{sign}0.{new string('0', -pointPos)}{digits}";
        }

        if (pointPos >= digits.Length)
        {
            return $"{sign}{digits}{new string('0', pointPos - digits.Length)}.0";
        }

        return $"{sign}{digits[..pointPos]}.{digits[pointPos..]}";
    }

    /// <summary>Python's <c>'{:.Nf}'</c>: fixed point, with <c>nan</c>/<c>inf</c> spelled like Python.</summary>
    public static string Fixed(double value, int decimals)
    {
        if (double.IsNaN(value))
        {
            return "nan";
        }

        if (double.IsInfinity(value))
        {
            return value > 0 ? "inf" : "-inf";
        }

        return value.ToString("F" + decimals.ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture);
    }

    /// <summary>Significant digits (no leading/trailing zeros) and the decimal point position relative to them.</summary>
    private static (string Digits, int PointPos) ShortestDigits(double positive)
    {
        var text = positive.ToString("R", CultureInfo.InvariantCulture);
        var exponent = 0;
        var ePos = text.IndexOfAny(['E', 'e']);
        if (ePos >= 0)
        {
            exponent = int.Parse(text[(ePos + 1)..], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture);
            text = text[..ePos];
        }

        var dot = text.IndexOf('.', StringComparison.Ordinal);
        var integerPart = dot >= 0 ? text[..dot] : text;
        var fraction = dot >= 0 ? text[(dot + 1)..] : string.Empty;
        var digits = integerPart + fraction;
        var pointPos = integerPart.Length + exponent;
        var lead = 0;
        while (lead < digits.Length - 1 && digits[lead] == '0')
        {
            lead++;
            pointPos--;
        }

        digits = digits[lead..].TrimEnd('0');
        return (digits.Length == 0 ? "0" : digits, pointPos);
    }
}
