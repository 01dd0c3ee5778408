using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;

namespace Disagg.OpenSearchStandIn;

/// <summary>
/// A loopback stand-in for the ingestion service and its search proxy (<c>POST /dataflow2/{project}/posting</c>,
/// <c>GET /opensearch/{pattern}/_search</c>). It enforces the
/// contract and can be told to fail; tests start it in-process on a free port.
/// </summary>
public sealed class StandInServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly StandInOptions _options;
    private int _posts;

    private StandInServer(WebApplication app, StandInOptions options, Uri baseUrl)
    {
        _app = app;
        _options = options;
        BaseUrl = baseUrl;
    }

    public Uri BaseUrl { get; }
    public DocumentStore Store { get; } = new();

    /// <summary>The JSON body of every <c>_search</c> that reached the server, in arrival order (what a history query sent).</summary>
    public IReadOnlyList<JsonObject> Searches => [.. _searches.Select(s => (JsonObject)s.DeepClone())];

    private readonly System.Collections.Concurrent.ConcurrentQueue<JsonObject> _searches = new();

    /// <summary>OpenSearch's default <c>index.max_result_window</c>: a larger <c>from + size</c> is refused.</summary>
    public const int MaxResultWindow = 10_000;
    public FaultPlan Faults { get; } = new();

    /// <summary>Post requests that reached the server, faults and rejections included.</summary>
    public int PostRequests => Volatile.Read(ref _posts);

    public static async Task<StandInServer> StartAsync(StandInOptions options, CancellationToken cancellationToken)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(k => k.Listen(IPAddress.Loopback, options.Port));
        var app = builder.Build();
        StandInServer? self = null;
        app.MapPost("/dataflow2/{project}/posting", (string project, HttpRequest request, CancellationToken ct) => self!.PostAsync(project, request, ct));
        app.MapGet("/opensearch/{pattern}/_search", (string pattern, HttpRequest request, CancellationToken ct) => self!.SearchAsync(pattern, request, ct));
        await app.StartAsync(cancellationToken);
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        self = new StandInServer(app, options, new Uri(address.Replace("[::]", "127.0.0.1", StringComparison.Ordinal)));
        return self;
    }

    private async Task<IResult> PostAsync(string project, HttpRequest request, CancellationToken ct)
    {
        Interlocked.Increment(ref _posts);
        if (await FaultAsync(ct) is { } fault) return fault;
        if (!project.Contains("sandbox", StringComparison.Ordinal))
        {
            var header = request.Headers["Proxy-Authorization"].ToString();
            if (header.Length == 0) return Error(401, "Proxy-Authorization: Basic is required for non-sandbox projects");
            if (_options.User is null || _options.Password is null ||
                header != "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes($"{_options.User}:{_options.Password}")))
                return Error(403, "invalid proxy credentials");
        }
        JsonNode? body;
        try
        {
            body = await JsonNode.ParseAsync(request.Body, cancellationToken: ct);
        }
        catch (JsonException e)
        {
            return Error(400, $"malformed JSON: {e.Message}");
        }
        var docs = body switch { JsonArray a => a.ToList(), JsonObject o => [o], _ => [] };
        if (docs.Count == 0 || docs.Any(d => d is not JsonObject)) return Error(400, "body must be a JSON object or a non-empty array of objects");
        using (var raw = JsonDocument.Parse(body!.ToJsonString()))
        {
            var elements = raw.RootElement.ValueKind == JsonValueKind.Array ? raw.RootElement.EnumerateArray().ToList() : [raw.RootElement];
            foreach (var element in elements)
                foreach (var property in element.EnumerateObject())
                    if (FieldRules.Violation(property.Name, property.Value) is { } why)
                        return Error(400, why);
        }
        var now = _options.Time.GetUtcNow();
        foreach (JsonObject doc in docs.Cast<JsonObject>())
        {
            var source = (JsonObject)doc.DeepClone();
            var id = source["_id"]?.GetValue<string>() is { Length: > 0 } given
                ? given
                : Convert.ToHexStringLower(MD5.HashData(Encoding.UTF8.GetBytes(source.ToJsonString())));
            source.Remove("_id");
            source["ts_created"] = now.ToUnixTimeMilliseconds();
            source["@timestamp"] = now.ToString("O");
            Store.Put(project, id, source, now + _options.VisibilityDelay);
        }
        return Results.Json(new { accepted = docs.Count }, statusCode: 202);
    }

    private async Task<IResult> SearchAsync(string pattern, HttpRequest request, CancellationToken ct)
    {
        if (await FaultAsync(ct) is { } fault) return fault;
        if (!pattern.StartsWith("df-", StringComparison.Ordinal) || !pattern.EndsWith("-*", StringComparison.Ordinal))
            return Error(404, $"no index pattern {pattern}; expected df-<project>-*");
        var project = pattern[3..^2];
        JsonNode? body;
        try
        {
            body = await JsonNode.ParseAsync(request.Body, cancellationToken: ct);
        }
        catch (JsonException)
        {
            return Error(400, "the _search GET needs a JSON query body (was it stripped by a proxy?)");
        }
        if (body is JsonObject recorded) _searches.Enqueue((JsonObject)recorded.DeepClone());
        var size = body?["size"]?.GetValue<int>() ?? 10;
        var from = body?["from"]?.GetValue<int>() ?? 0;
        if (from + size > MaxResultWindow)
            return Error(400, $"Result window is too large, from + size must be less than or equal to: [{MaxResultWindow}] but was [{from + size}]");
        var now = _options.Time.GetUtcNow();
        List<DocumentStore.Stored> hits;
        try
        {
            SearchQuery.Validate(body?["query"]);
            hits = [.. Store.All(project).Where(d => d.VisibleAt <= now && SearchQuery.Matches(body?["query"], d.Source)).Skip(from).Take(size)];
        }
        catch (Exception e) when (e is FormatException or InvalidOperationException)
        {
            return Error(400, e.Message);
        }
        var response = new JsonObject
        {
            ["hits"] = new JsonObject
            {
                ["total"] = new JsonObject { ["value"] = hits.Count },
                ["hits"] = new JsonArray([.. hits.Select(h => (JsonNode)new JsonObject
                {
                    ["_index"] = $"df-{project}-stand-in",
                    ["_id"] = h.Id,
                    ["_source"] = h.Source.DeepClone(),
                })]),
            },
        };
        return Results.Text(response.ToJsonString(), "application/json");
    }

    private async Task<IResult?> FaultAsync(CancellationToken ct)
    {
        if (!Faults.TryTake(out var fault)) return null;
        if (fault.Delay > TimeSpan.Zero) await Task.Delay(fault.Delay, ct);
        return fault.Status > 0 ? Error(fault.Status, "injected fault") : null;
    }

    private static IResult Error(int status, string reason) => Results.Json(new { error = reason }, statusCode: status);

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
