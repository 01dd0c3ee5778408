namespace Disagg.Harness.Publishing;

/// <summary>
/// <c>UPLOAD_TO_PERFDB</c> (unset or <c>true</c>/<c>1</c> uploads, <c>false</c>/<c>0</c> skips, anything else is a
/// configuration error) and <c>DISAGG_PERFDB_CONNECTION</c> (an Npgsql connection string).
/// </summary>
public static class PerfDbSettings
{
    public const string EnableVariable = "UPLOAD_TO_PERFDB";
    public const string ConnectionVariable = "DISAGG_PERFDB_CONNECTION";

    public static bool Enabled(IReadOnlyDictionary<string, string> env) =>
        env.GetValueOrDefault(EnableVariable)?.Trim().ToLowerInvariant() switch
        {
            null or "" or "true" or "1" => true,
            "false" or "0" => false,
            var other => throw new UploadException("config", null,
                $"{EnableVariable}='{other}' is not valid; use true (default) or false"),
        };

    public static string? Connection(IReadOnlyDictionary<string, string> env) =>
        env.GetValueOrDefault(ConnectionVariable) is { Length: > 0 } c ? c : null;

    /// <summary>Host, port, database and user only: safe for logs and messages.</summary>
    public static string Describe(string connectionString)
    {
        try
        {
            var b = new Npgsql.NpgsqlConnectionStringBuilder(connectionString);
            return $"{b.Username}@{b.Host}:{b.Port}/{b.Database}";
        }
        catch (ArgumentException)
        {
            return "(unparsable connection string)";
        }
    }
}
