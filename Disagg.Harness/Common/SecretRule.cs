namespace Disagg.Harness.Common;

/// <summary>
/// One value-redaction rule of <see cref="SecretFilter"/>: a regular expression in the subset that GNU <c>sed -E</c>
/// (the job side, <c>diag_redact</c>) and .NET (the runner) read alike, and the replacement of group 1 followed
/// by <see cref="SecretFilter.Redacted"/> and <paramref name="After"/> (text the pattern matched after the secret and that
/// must stay, such as the <c>@</c> of a URL). The subset: literal characters, bracket expressions without escapes or
/// POSIX classes, groups, alternation, <c>* + ?</c> (greedy), <c>.</c>; no anchors, backreferences or lookarounds.
/// Each rule is applied line by line, every match in a line replaced.
/// </summary>
public sealed record SecretRule(string What, string Pattern, bool IgnoreCase, string After = "");
