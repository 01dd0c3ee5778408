namespace Disagg.Sim.Common;

/// <summary>Adds uvicorn's <c>server</c> header and prints one uvicorn-style access line per request.</summary>
internal static class AccessLogMiddleware
{
    public static void UseUvicornAccessLog(this WebApplication app, bool enabled)
    {
        app.Use(async (context, next) =>
        {
            context.Response.Headers.Server = "uvicorn";
            await next(context).ConfigureAwait(false);
            if (enabled)
            {
                var remote = $"{context.Connection.RemoteIpAddress}:{context.Connection.RemotePort}";
                ServerLog.Access(remote, context.Request.Method, context.Request.Path, context.Request.Protocol, context.Response.StatusCode);
            }
        });
    }
}
