using System.Net;
using System.Net.Sockets;

namespace Disagg.Harness.Tests.Reporting;

/// <summary>
/// Serves one folder on 127.0.0.1 with a Content-Security-Policy header on every response, the way Jenkins serves
/// archived artifacts, so a browser applies the policy exactly as it would there. Stops when disposed.
/// </summary>
internal sealed class CspFileServer : IAsyncDisposable
{
    /// <summary>Jenkins' default policy for the files it serves from builds (archived artifacts, workspace).</summary>
    public const string JenkinsDefaultCsp = "sandbox; default-src 'none'; img-src 'self'; style-src 'self';";

    private readonly HttpListener _listener = new();
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;
    private readonly string _root;
    private readonly string _policy;

    public Uri BaseUri { get; }

    public CspFileServer(string root, string policy)
    {
        _root = Path.GetFullPath(root);
        _policy = policy;
        var port = FreePort();
        BaseUri = new Uri($"http://127.0.0.1:{port}/");
        _listener.Prefixes.Add(BaseUri.AbsoluteUri);
        _listener.Start();
        _loop = Task.Run(() => ServeAsync(_stop.Token));
    }

    private static int FreePort()
    {
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        return ((IPEndPoint)probe.LocalEndpoint).Port;
    }

    private async Task ServeAsync(CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            HttpListenerContext context;
            try { context = await _listener.GetContextAsync().WaitAsync(cancellationToken); }
            catch (Exception e) when (e is OperationCanceledException or HttpListenerException or ObjectDisposedException) { return; }
            using var response = context.Response;
            response.Headers["Content-Security-Policy"] = _policy;
            var relative = Uri.UnescapeDataString(context.Request.Url!.AbsolutePath).TrimStart('/');
            var path = Path.GetFullPath(Path.Combine(_root, relative));
            if (!path.StartsWith(_root + Path.DirectorySeparatorChar, StringComparison.Ordinal) || !File.Exists(path))
            {
                response.StatusCode = 404;
                continue;
            }
            response.ContentType = Path.GetExtension(path) switch
            {
                ".html" => "text/html; charset=utf-8",
                ".css" => "text/css; charset=utf-8",
                ".png" => "image/png",
                _ => "application/octet-stream",
            };
            var bytes = await File.ReadAllBytesAsync(path, cancellationToken);
            response.ContentLength64 = bytes.Length;
            await response.OutputStream.WriteAsync(bytes, cancellationToken);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        await _loop;
        _listener.Close();
        _stop.Dispose();
    }
}
