using System.Net;
using System.Net.Sockets;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Server.Kestrel.Core;

namespace Disagg.Sim.Common;

/// <summary>
/// Builds the lightweight Kestrel host shared by the worker and the disagg server: HTTP/1.1 only, no logging
/// providers, no config reload watchers, no console lifetime (signals are handled by <see cref="ShutdownSignal"/>).
/// </summary>
internal static class SlimWebHost
{
    public static WebApplication Create(string host, int port)
    {
        Environment.SetEnvironmentVariable("DOTNET_hostBuilder__reloadConfigOnChange", "false");
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions
        {
            Args = [],
            ContentRootPath = AppContext.BaseDirectory,
        });
        builder.Logging.ClearProviders();
        builder.Services.AddSingleton<IHostLifetime, ExternalSignalLifetime>();
        builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromMilliseconds(800));
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            kestrel.Limits.MinResponseDataRate = null;
            foreach (var address in ResolveListenAddresses(host))
            {
                kestrel.Listen(address, port, listen => listen.Protocols = HttpProtocols.Http1);
            }
        });
        return builder.Build();
    }

    /// <summary>Starts listening; a bind failure becomes trtllm-serve's <c>Failed to bind socket</c> RuntimeError.</summary>
    public static async Task StartAsync(WebApplication app, string host, int port, CancellationToken cancellationToken)
    {
        try
        {
            await app.StartAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (IOException ex) when (FindBindError(ex) is { } error)
        {
            throw PythonErrors.BindFailure(host, port, error.Errno, error.Reason);
        }
    }

    private static (int Errno, string Reason)? FindBindError(Exception ex)
    {
        for (Exception? current = ex; current is not null; current = current.InnerException)
        {
            switch (current)
            {
                case AddressInUseException:
                    return (98, "Address already in use");
                case SocketException { SocketErrorCode: SocketError.AddressAlreadyInUse }:
                    return (98, "Address already in use");
                case SocketException { SocketErrorCode: SocketError.AddressNotAvailable }:
                    return (99, "Cannot assign requested address");
                case SocketException { SocketErrorCode: SocketError.AccessDenied }:
                    return (13, "Permission denied");
            }
        }

        return null;
    }

    private static IEnumerable<IPAddress> ResolveListenAddresses(string host)
    {
        if (host is "0.0.0.0" or "")
        {
            return [IPAddress.Any];
        }

        if (string.Equals(host, "localhost", StringComparison.OrdinalIgnoreCase))
        {
            return [IPAddress.Loopback];
        }

        if (IPAddress.TryParse(host, out var literal))
        {
            return [literal];
        }

        IPAddress[] resolved;
        try
        {
            resolved = Dns.GetHostAddresses(host);
        }
        catch (SocketException ex)
        {
            throw new ConfigException($"cannot resolve host '{host}': {ex.Message}");
        }

        var ipv4 = resolved.Where(a => a.AddressFamily == AddressFamily.InterNetwork).Distinct().ToArray();
        return ipv4.Length > 0 ? ipv4 : resolved.Distinct().ToArray();
    }

    /// <summary>A host lifetime that does nothing: shutdown is driven by <see cref="ShutdownSignal"/>.</summary>
    private sealed class ExternalSignalLifetime : IHostLifetime
    {
        public Task WaitForStartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
