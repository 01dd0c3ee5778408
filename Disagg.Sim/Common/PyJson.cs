using System.Collections;
using System.Globalization;
using System.Text;

namespace Disagg.Sim.Common;

/// <summary>
/// Serializes values exactly like Python's <c>json.dumps</c> with default settings: <c>", "</c> and <c>": "</c>
/// separators, <c>ensure_ascii</c>, float <c>repr</c>, <c>NaN</c>/<c>Infinity</c>.
/// </summary>
internal static class PyJson
{
    public static string Serialize(object? value)
    {
        var text = new StringBuilder();
        Write(text, value);
        return text.ToString();
    }

    private static void Write(StringBuilder text, object? value)
    {
        switch (value)
        {
            case null:
                text.Append("null");
                break;
            case bool b:
                text.Append(b ? "true" : "false");
                break;
            case string s:
                WriteString(text, s);
                break;
            case int or long:
                text.Append(Convert.ToString(value, CultureInfo.InvariantCulture));
                break;
            case double d:
                text.Append(FloatText(d));
                break;
            case PyDict dict:
                WriteDict(text, dict);
                break;
            case IEnumerable list:
                WriteList(text, list);
                break;
            default:
                throw new ArgumentException($"Unsupported JSON value type {value.GetType().Name}", nameof(value));
        }
    }

    private static string FloatText(double value) => value switch
    {
        double.NaN => "NaN",
        double.PositiveInfinity => "Infinity",
        double.NegativeInfinity => "-Infinity",
        _ => PythonFloat.Repr(value),
    };

    private static void WriteDict(StringBuilder text, PyDict dict)
    {
        text.Append('{');
        for (var i = 0; i < dict.Count; i++)
        {
            if (i > 0)
            {
                text.Append(", ");
            }

            WriteString(text, dict[i].Key);
            text.Append(": ");
            Write(text, dict[i].Value);
        }

        text.Append('}');
    }

    private static void WriteList(StringBuilder text, IEnumerable list)
    {
        text.Append('[');
        var first = true;
        foreach (var item in list)
        {
            if (!first)
            {
                text.Append(", ");
            }

            first = false;
            Write(text, item);
        }

        text.Append(']');
    }

    public static void WriteString(StringBuilder text, string value)
    {
        text.Append('"');
        foreach (var c in value)
        {
            switch (c)
            {
                case '"': text.Append("\\\""); break;
                case '\\': text.Append("\\\\"); break;
                case '\n': text.Append("\\n"); break;
                case '\r': text.Append("\\r"); break;
                case '\t': text.Append("\\t"); break;
                case '\b': text.Append("\\b"); break;
                case '\f': text.Append("\\f"); break;
                default:
                    if (c < 0x20 || c > 0x7e)
                    {
                        text.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture));
                    }
                    else
                    {
                        text.Append(c);
                    }

                    break;
            }
        }

        text.Append('"');
    }
}
