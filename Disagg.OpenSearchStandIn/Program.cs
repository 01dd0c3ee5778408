namespace Disagg.OpenSearchStandIn;

/// <summary>Runs the stand-in alone: <c>dotnet Disagg.OpenSearchStandIn.dll [--port N] [--user U --password-env VAR]</c>.</summary>
public static class Program
{
    public static async Task<int> Main(string[] args)
    {
        string? Arg(string name) => Array.IndexOf(args, name) is >= 0 and var i && i + 1 < args.Length ? args[i + 1] : null;
        var port = int.TryParse(Arg("--port"), out var p) ? p : 0;
        var user = Arg("--user");
        var password = Arg("--password-env") is { } env ? Environment.GetEnvironmentVariable(env) : null;
        await using var server = await StandInServer.StartAsync(new StandInOptions { Port = port, User = user, Password = password }, CancellationToken.None);
        Console.WriteLine($"OpenSearch stand-in listening on {server.BaseUrl}");
        var stop = new TaskCompletionSource();
        Console.CancelKeyPress += (_, e) => { e.Cancel = true; stop.TrySetResult(); };
        await stop.Task;
        return 0;
    }
}
