using System.Text;

namespace Disagg.Sim.Cli;

/// <summary>Renders the <c>--help</c> text of a verb.</summary>
internal static class HelpPrinter
{
    public static string Render(CommandSpec spec)
    {
        var text = new StringBuilder();
        var positional = spec.PositionalName is null ? string.Empty : $" [{spec.PositionalName}]";
        text.Append("usage: Disagg.Sim ").Append(spec.Verb).Append(positional).AppendLine(" [options]");
        text.AppendLine();
        text.AppendLine(spec.Summary);
        text.AppendLine();
        text.AppendLine("options:");
        text.AppendLine("  -h, --help".PadRight(42) + "show this help message and exit");
        foreach (var flag in spec.Flags)
        {
            var names = string.Join(", ", flag.Aliases.Append(flag.Name));
            var metavar = flag.Arity switch
            {
                FlagArity.Switch => string.Empty,
                FlagArity.Multiple => $" [{flag.Metavar ?? "VALUE"} ...]",
                _ => $" {flag.Metavar ?? "VALUE"}",
            };
            var required = flag.Required ? " (required)" : string.Empty;
            var left = $"  {names}{metavar}";
            text.Append(left.PadRight(42)).Append(left.Length >= 42 ? " " : string.Empty)
                .Append(flag.Help).AppendLine(required);
        }

        return text.ToString();
    }
}
