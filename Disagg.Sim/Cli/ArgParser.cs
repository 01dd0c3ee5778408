using Disagg.Harness.Common;

namespace Disagg.Sim.Cli;

/// <summary>
/// A small argparse-like parser: <c>--flag value</c>, <c>--flag=value</c>, switches, <c>nargs="*"</c> lists and
/// positionals. Every mistake is a <see cref="UsageException"/> naming the nearest valid flag.
/// </summary>
internal static class ArgParser
{
    public static ParsedArgs Parse(CommandSpec spec, IReadOnlyList<string> args)
    {
        var parsed = new ParsedArgs(spec);
        for (var i = 0; i < args.Count; i++)
        {
            var token = args[i];
            if (token is "--help" or "-h")
            {
                parsed.HelpRequested = true;
                return parsed;
            }

            if (!LooksLikeFlag(token))
            {
                AddPositional(spec, parsed, token);
                continue;
            }

            var (name, inlineValue) = SplitInlineValue(token);
            var flag = spec.Find(name)
                ?? throw new UsageException(
                    $"unrecognized argument '{name}' for '{spec.Verb}'{TextSimilarity.DidYouMean(name, spec.AllFlagNames)}");
            i = Consume(flag, inlineValue, args, i, parsed);
        }

        CheckRequired(spec, parsed);
        return parsed;
    }

    private static int Consume(FlagSpec flag, string? inlineValue, IReadOnlyList<string> args, int index, ParsedArgs parsed)
    {
        switch (flag.Arity)
        {
            case FlagArity.Switch:
                if (inlineValue is not null)
                {
                    throw new UsageException($"argument {flag.Name}: ignored explicit argument '{inlineValue}'");
                }

                parsed.SetSwitch(flag.Name);
                return index;
            case FlagArity.Single:
                var value = inlineValue ?? NextValue(flag, args, ref index);
                CheckChoice(flag, value);
                parsed.SetValue(flag.Name, value);
                return index;
            default:
                var values = new List<string>();
                if (inlineValue is not null)
                {
                    values.Add(inlineValue);
                }

                while (index + 1 < args.Count && !LooksLikeFlag(args[index + 1]))
                {
                    values.Add(args[++index]);
                }

                parsed.SetList(flag.Name, values);
                return index;
        }
    }

    private static string NextValue(FlagSpec flag, IReadOnlyList<string> args, ref int index)
    {
        if (index + 1 >= args.Count || LooksLikeFlag(args[index + 1]))
        {
            throw new UsageException($"argument {flag.Name}: expected one argument");
        }

        return args[++index];
    }

    private static void CheckChoice(FlagSpec flag, string value)
    {
        if (flag.Choices is { } choices && !choices.Contains(value, StringComparer.Ordinal))
        {
            var allowed = string.Join(", ", choices.Select(c => $"'{c}'"));
            throw new UsageException(
                $"argument {flag.Name}: invalid choice: '{value}' (choose from {allowed}){TextSimilarity.DidYouMean(value, choices)}");
        }
    }

    private static void AddPositional(CommandSpec spec, ParsedArgs parsed, string token)
    {
        if (parsed.Positionals.Count >= spec.MaxPositionals)
        {
            throw new UsageException($"unrecognized argument '{token}' for '{spec.Verb}'");
        }

        parsed.Positionals.Add(token);
    }

    private static void CheckRequired(CommandSpec spec, ParsedArgs parsed)
    {
        var missing = spec.Flags.Where(f => f.Required && !parsed.Has(f.Name)).Select(f => f.Name).ToList();
        if (missing.Count > 0)
        {
            throw new UsageException($"the following arguments are required: {string.Join(", ", missing)}");
        }
    }

    private static (string Name, string? Value) SplitInlineValue(string token)
    {
        var eq = token.IndexOf('=', StringComparison.Ordinal);
        return token.StartsWith("--", StringComparison.Ordinal) && eq > 2
            ? (token[..eq], token[(eq + 1)..])
            : (token, null);
    }

    /// <summary>A token is a flag if it starts with '-' followed by a letter or '-' (so "-1" is a value).</summary>
    private static bool LooksLikeFlag(string token) =>
        token.Length >= 2 && token[0] == '-' && (char.IsLetter(token[1]) || token[1] == '-');
}
