using System.Diagnostics;
using System.Text;
using Disagg.Harness.Common;
using Disagg.Harness.Rendering;
using FluentAssertions;

namespace Disagg.Harness.Tests.Common;

/// <summary>
/// One redaction rule set: the runner's <see cref="SecretFilter.Redact"/> and the job's <c>diag_redact</c> (real bash,
/// awk and sed, generated from the same rules) must turn the same text into the same text, and leave no secret behind.
/// </summary>
public sealed class SecretFilterTests
{
    [TestCase("DISAGG_PERFDB_CONNECTION='Host=db;Port=5432;Username=u;Password=Pl4nted!;Database=d'", "DISAGG_PERFDB_CONNECTION=<redacted>")]
    [TestCase("connecting with Host=db;Port=5432;Username=u;Password=Pl4nted!;Database=d",
        "connecting with Host=db;Port=5432;Username=u;Password=<redacted>;Database=d")]
    [TestCase("server=db;uid=u;PWD = Pl4nted!;", "server=db;uid=u;PWD = <redacted>;")]
    [TestCase("Password='a b; c';Host=x", "Password=<redacted>;Host=x")]
    [TestCase("posting to https://ci-bot:Pl4nted!@opensearch.example:9200/x", "posting to https://ci-bot:<redacted>@opensearch.example:9200/x")]
    [TestCase("postgres://u:Pl4nted@db/x and http://host:8080/path@y", "postgres://u:<redacted>@db/x and http://host:8080/path@y")]
    [TestCase("Authorization: Basic dXNlcjpQbDRudGVk", "Authorization: <redacted>")]
    [TestCase("{\"Proxy-Authorization\": \"Bearer abc\"}", "{\"Proxy-Authorization\": <redacted>")]
    [TestCase("max_num_tokens=4096 and Pwdless text", "max_num_tokens=4096 and Pwdless text")]
    [TestCase("PWD=/work/run OLDPWD=/work", "PWD=/work/run OLDPWD=/work")]
    [TestCase("MYSQL_PWD=Pl4nted", "MYSQL_PWD=<redacted>")]
    [TestCase("PWD_FILE=/run/secret", "PWD_FILE=<redacted>")]
    [TestCase("Server=db;Uid=u;Pwd=Pl4nted;", "Server=db;Uid=u;Pwd=<redacted>;")]
    public void A_value_rule_redacts_the_secret_and_keeps_the_rest(string line, string expected) =>
        SecretFilter.Redact(line, []).Should().Be(expected);

    [TestCase("DISAGG_PERFDB_CONNECTION")]
    [TestCase("db_dsn")]
    [TestCase("HTTP_AUTH_HEADER")]
    [TestCase("MYSQL_PWD")]
    [TestCase("Hf_Token")]
    public void A_name_with_a_secret_word_in_any_case_is_secret(string name) => SecretFilter.IsSecretName(name).Should().BeTrue();

    [TestCase("PWD")]
    [TestCase("OLDPWD")]
    [TestCase("SLURM_JOB_ID")]
    public void The_shell_working_directory_is_not_a_secret(string name) => SecretFilter.IsSecretName(name).Should().BeFalse();

    /// <summary>Lines built from the pieces secrets hide in, plus random noise; the same on both sides or the rule sets differ.</summary>
    private static IEnumerable<string> Corpus()
    {
        string[] pieces =
        [
            "Password=", "password = ", "PWD=", "pwd=", "Pwd =", "Host=db;", ";", "'", "\"", " ", "\t", "https://", "HTTP://", "postgres://", "user", ":",
            "@", "/", "/work/run", "PWD=", "OLDPWD=", "MYSQL_PWD=", ";Pwd=", "Authorization:", "proxy-authorization: ", "\"Authorization\": ",
            "MY_TOKEN=", "OPEN_SEARCH_DB_CREDENTIALS_PSW=", "KEY", "x=", "Pl4nted",
            "s3cr3t-value", "é", "\u2028", "=", "-", ".", "#", "\\", "&", "$1", "value", "0",
        ];
        var random = new Random(15);
        yield return "DISAGG_PERFDB_CONNECTION=Host=db;Password=Pl4nted";
        yield return "url http://u:s3cr3t-value@h/p and value s3cr3t-value again";
        for (var i = 0; i < 3000; i++)
        {
            var line = new StringBuilder();
            for (var n = random.Next(1, 12); n > 0; n--) line.Append(pieces[random.Next(pieces.Length)]);
            yield return line.ToString();
        }
    }

    [Test]
    public async Task The_job_side_and_the_runner_redact_exactly_alike()
    {
        var env = new Dictionary<string, string>
        {
            ["SOME_SECRET_TOKEN"] = "s3cr3t-value",
            ["DISAGG_PERFDB_CONNECTION"] = "Host=db;Password=Pl4nted",
            ["NOT_HIDDEN"] = "value",
            ["PWD"] = "/work/run",
            ["OLDPWD"] = "/work",
        };
        var lines = Corpus().ToList();
        var input = string.Join('\n', lines) + "\n";

        var start = new ProcessStartInfo("bash", ["-c", PackagingFunctions.Text(JobFiles.Phases) + "\ndiag_redact"])
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            StandardInputEncoding = new UTF8Encoding(false),
            StandardOutputEncoding = new UTF8Encoding(false),
        };
        start.Environment.Clear();
        start.Environment["PATH"] = "/usr/bin:/bin";
        foreach (var (k, v) in env) start.Environment[k] = v;
        using var bash = Process.Start(start)!;
        var stdout = bash.StandardOutput.ReadToEndAsync();
        var stderr = bash.StandardError.ReadToEndAsync();
        await bash.StandardInput.WriteAsync(input);
        bash.StandardInput.Close();
        await bash.WaitForExitAsync();
        (await stderr).Should().BeEmpty();
        var jobSide = (await stdout).Split('\n');

        var values = env.Where(kv => SecretFilter.IsSecretName(kv.Key)).Select(kv => kv.Value).OrderByDescending(v => v.Length).ToList();
        var differences = lines.Select((line, i) => (line, job: jobSide[i], runner: SecretFilter.Redact(line, values)))
            .Where(x => x.job != x.runner).Take(5).Select(x => $"input  {x.line}\njob    {x.job}\nrunner {x.runner}").ToList();
        differences.Should().BeEmpty();
        jobSide.Should().NotContain(l => l.Contains("s3cr3t-value", StringComparison.Ordinal), "a secret-named variable's value is replaced everywhere");
        jobSide[..2].Should().Equal("DISAGG_PERFDB_CONNECTION=<redacted>", "url http://u:<redacted>@h/p and value <redacted> again");
        var redacted = jobSide.Count(l => l.Contains(SecretFilter.Redacted, StringComparison.Ordinal));
        TestContext.Out.WriteLine($"{lines.Count} lines, {redacted} with a redaction, identical on both sides");
    }
}
