using System.Text.RegularExpressions;

namespace Disagg.Harness.Configuration;

/// <summary>
/// The shapes a name must have wherever it reaches a shell word, a file name, an environment or an #SBATCH line
/// unquoted. Values are quoted by the renderer; names cannot be, so they are checked here, when the file is
/// loaded, with a message that says what is allowed. Each rule returns null for a good name, else that message.
/// </summary>
public static partial class Names
{
    [GeneratedRegex(@"^[A-Za-z_][A-Za-z0-9_]*\z")] private static partial Regex EnvNamePattern();
    [GeneratedRegex(@"^[A-Za-z0-9][A-Za-z0-9_.\-]*\z")] private static partial Regex WordPattern();
    [GeneratedRegex(@"^[A-Za-z0-9][A-Za-z0-9_\-]*\z")] private static partial Regex OptionPattern();
    [GeneratedRegex(@"^[A-Za-z0-9_][A-Za-z0-9_.,\-]*\z")] private static partial Regex SlurmNamePattern();
    [GeneratedRegex(@"^[A-Za-z0-9_](?:[A-Za-z0-9_.:+@%=,/ \-]*[A-Za-z0-9_.:+@%=,/\-])?\z")] private static partial Regex JobNamePattern();
    [GeneratedRegex(@"^--?[A-Za-z][A-Za-z0-9\-]*(?:=[A-Za-z0-9_.:,+@%/=\[\]*\-]*)?\z")] private static partial Regex SbatchOptionPattern();
    [GeneratedRegex(@"^[a-z0-9_]+\z")] private static partial Regex MpiPattern();

    /// <summary>An environment variable name (POSIX): it follows <c>export</c> unquoted.</summary>
    public static string? EnvVar(string name) =>
        Check(name, EnvNamePattern(),
            "is not a valid environment variable name: use letters, digits and _, not starting with a digit ([A-Za-z_][A-Za-z0-9_]*)");

    /// <summary>An accuracy task (lm_eval): it names a job step, a log file and an output folder.</summary>
    public static string? Task(string name) =>
        Check(name, WordPattern(), "is not a valid task name: use letters, digits and _ . -, starting with a letter or digit (e.g. gsm8k, mmlu_pro)");

    /// <summary>A file or id component: a test id, an outbox entry, a cluster profile name.</summary>
    public static string? Word(string name) =>
        Check(name, WordPattern(), "is not a valid name: use letters, digits and _ . -, starting with a letter or digit");

    /// <summary>A command-line option name without its dashes (<c>extra_kwargs</c> keys).</summary>
    public static string? Option(string name) =>
        Check(name, OptionPattern(), "is not a valid option name: use letters, digits, _ and -, starting with a letter or digit");

    /// <summary>A SLURM partition or account (a comma-separated list of them is allowed for partitions).</summary>
    public static string? SlurmName(string name) =>
        Check(name, SlurmNamePattern(), "is not a valid SLURM partition or account name: use letters, digits and _ . - (commas between partitions)");

    /// <summary>A SLURM job name (an #SBATCH value and SLURM_JOB_NAME in the job).</summary>
    public static string? JobName(string name) =>
        Check(name, JobNamePattern(), "is not a valid job name: use letters, digits, spaces and _ . : + @ % = , / -, starting with a letter, digit or _");

    /// <summary>One word of <c>slurm.extra_args</c>: an #SBATCH line of its own.</summary>
    public static string? SbatchOption(string option) =>
        Check(option, SbatchOptionPattern(),
            "is not an sbatch option of the form --name or --name=value (no quotes, spaces or $; write -C gpu as --constraint=gpu)");

    /// <summary>srun's <c>--mpi</c> type (pmix, pmi2, none, ...).</summary>
    public static string? Mpi(string name) =>
        Check(name, MpiPattern(), "is not a valid srun --mpi type: use lower-case letters, digits and _ (pmix, pmi2, none)");

    /// <summary>Whether a value has a character that no config value may carry: NUL and other controls except tab and newline.</summary>
    public static bool HasForbiddenControl(string value) =>
        value.Any(c => char.IsControl(c) && c != '\n' && c != '\t');

    /// <summary>A value for messages: controls escaped, cut to 80 characters, so an error stays one readable line.</summary>
    public static string Show(string value) =>
        value.Length > 80 ? Escape(value[..80]) + $"... ({value.Length} characters)" : Escape(value);

    /// <summary><paramref name="text"/> with control characters and line separators written as escapes.</summary>
    public static string Escape(string text) =>
        text.Any(c => char.IsControl(c) || c is '\u2028' or '\u2029' or '\u0085')
            ? string.Concat(text.Select(c => c switch
            {
                '\n' => "\\n",
                '\t' => "\\t",
                '\r' => "\\r",
                _ when char.IsControl(c) || c is '\u2028' or '\u2029' => $"\\u{(int)c:X4}",
                _ => c.ToString(),
            }))
            : text;

    private static string? Check(string name, Regex pattern, string rule)
    {
        if (name.Length > InputLimits.MaxNameLength)
            return $"'{Show(name)}' is longer than {InputLimits.MaxNameLength} characters";
        return pattern.IsMatch(name) ? null : $"'{Show(name)}' {rule}";
    }
}
