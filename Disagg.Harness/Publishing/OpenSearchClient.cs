using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Disagg.Harness.Common;

namespace Disagg.Harness.Publishing;

/// <summary>
/// The ingestion service's contract: a bulk POST of a JSON array, and the history GET with a JSON body. Up to
/// <see cref="MaxAttempts"/> attempts (<see cref="RetryPolicy"/>), sleeping min(attempt × 2, 10) s on the injected
/// clock, for 429, 5xx and network errors; other 4xx fail at once. Messages never contain credentials.
/// </summary>
public sealed class OpenSearchClient(HttpClient http, OpenSearchSettings settings, TimeProvider time, Action<string> log)
{
    public const int MaxAttempts = 5;

    private readonly RetryPolicy _retry = new(MaxAttempts, Backoff, IsRetryable, time);

    public OpenSearchSettings Settings => settings;

    public static TimeSpan Backoff(int attempt) => TimeSpan.FromSeconds(Math.Min(attempt * 2, 10));

    /// <summary>Checks the batch locally, then posts it. Throws <see cref="UploadException"/> when it is not accepted.</summary>
    public async Task PostAsync(string batchJson, CancellationToken cancellationToken)
    {
        if (settings.PostConfigurationProblem() is { } config) throw Fail("config", null, 0, config);
        IReadOnlyList<string> problems;
        try
        {
            problems = DocumentTypeCheck.Check(batchJson);
        }
        catch (JsonException e)
        {
            throw Fail("serialize", null, 0, $"the batch is not valid JSON ({e.Message}); nothing was sent");
        }
        if (problems.Count > 0)
            throw Fail("type_check", null, 0, $"{problems.Count} field(s) fail the type check, nothing was sent: {string.Join("; ", problems.Take(5))}");

        await SendAsync("post", () =>
        {
            var request = new HttpRequestMessage(HttpMethod.Post, settings.PostUri) { Content = Json(batchJson) };
            if (settings.ProxyAuthorization() is { } auth) request.Headers.TryAddWithoutValidation("Proxy-Authorization", auth);
            return request;
        }, OpenSearchSettings.PostTimeout, cancellationToken);
    }

    /// <summary>Runs a query on the project's indices and returns each hit's <c>_source</c> with <c>_id</c> copied in.</summary>
    public async Task<IReadOnlyList<JsonObject>> SearchAsync(JsonObject query, CancellationToken cancellationToken)
    {
        var body = await SendAsync("query", () => new HttpRequestMessage(HttpMethod.Get, settings.SearchUri) { Content = Json(query.ToJsonString()) },
            OpenSearchSettings.QueryTimeout, cancellationToken);
        JsonNode? root;
        try
        {
            root = JsonNode.Parse(body);
        }
        catch (JsonException e)
        {
            throw Fail("serialize", 200, 0, $"the _search response is not JSON ({e.Message})", "query");
        }
        if (root?["hits"]?["hits"] is not JsonArray hits)
            throw Fail("non_retryable", 200, 0, "the _search response has no hits.hits; a proxy may have dropped the GET body", "query");
        var result = new List<JsonObject>();
        foreach (var hit in hits)
        {
            var id = hit?["_id"]?.GetValue<string>();
            if (string.IsNullOrEmpty(id) || hit?["_source"] is not JsonObject source)
                throw Fail("non_retryable", 200, 0, "a _search hit has an empty _id or no _source; the whole query is discarded", "query");
            var copy = (JsonObject)source.DeepClone();
            copy["_id"] = id;
            result.Add(copy);
        }
        return result;
    }

    private async Task<string> SendAsync(string op, Func<HttpRequestMessage> create, TimeSpan timeout, CancellationToken cancellationToken)
    {
        try
        {
            return await _retry.RunAsync((attempt, token) => SendOnceAsync(op, create, timeout, attempt, token), cancellationToken).ConfigureAwait(false);
        }
        catch (UploadException e) when (IsRetryable(e))
        {
            throw Fail("exhausted", e.Status, MaxAttempts, $"gave up after {MaxAttempts} attempts; last error: {e.Message}", op, e.InnerException);
        }
    }

    /// <summary>
    /// One request. A failure worth another attempt is logged and thrown as a bare <see cref="UploadException"/>
    /// (transient or network) that <see cref="SendAsync"/> rewords once the attempts are spent; any other is final.
    /// </summary>
    private async Task<string> SendOnceAsync(string op, Func<HttpRequestMessage> create, TimeSpan timeout, int attempt, CancellationToken cancellationToken)
    {
        using var timeoutSource = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeoutSource.CancelAfter(timeout);
        int? status = null;
        try
        {
            using var request = create();
            request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
            request.Headers.TryAddWithoutValidation("Accept-Charset", "UTF-8");
            using var response = await http.SendAsync(request, timeoutSource.Token).ConfigureAwait(false);
            var body = await response.Content.ReadAsStringAsync(timeoutSource.Token).ConfigureAwait(false);
            status = (int)response.StatusCode;
            if (response.StatusCode is HttpStatusCode.OK or HttpStatusCode.Created or HttpStatusCode.Accepted) return body;
            var message = $"HTTP {status} {Truncate(body)}";
            if (status != 429 && status < 500) throw Fail("non_retryable", status, attempt, message + Hint(status.Value), op);
            throw Retryable(op, "transient", status, attempt, message, null);
        }
        catch (OperationCanceledException e) when (!cancellationToken.IsCancellationRequested)
        {
            throw Retryable(op, "network", status, attempt, $"no answer within {timeout.TotalSeconds:0} s", e);
        }
        catch (HttpRequestException e)
        {
            throw Retryable(op, "network", status, attempt, e.Message, e);
        }
    }

    private static bool IsRetryable(Exception e) => e is UploadException { Category: "transient" or "network" };

    private UploadException Retryable(string op, string category, int? status, int attempt, string message, Exception? inner)
    {
        Log(op, category, status, attempt, message);
        return new UploadException(category, status, message, inner);
    }

    private static string Hint(int status) => status switch
    {
        401 or 403 or 407 => " (check OPEN_SEARCH_DB_CREDENTIALS_USR/_PSW, or use USE_POC_DB=true for the sandbox)",
        400 => " (the service rejected a field; fix the document builder)",
        _ => "",
    };

    private UploadException Fail(string category, int? status, int attempt, string message, string op = "post", Exception? inner = null)
    {
        Log(op, category, status, attempt, message);
        return new UploadException(category, status, $"OpenSearch {op} to {settings} failed ({category}): {message}", inner);
    }

    private void Log(string op, string category, int? status, int attempt, string message)
    {
        var url = op == "post"
            ? $"{settings.DisplayBase}/dataflow2/{settings.Project}/posting"
            : $"{settings.DisplayBase}/opensearch/df-{settings.Project}-*/_search";
        var statusText = status?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "-";
        var line = ($"[OpenSearchDB][ERROR](op={op}, cat={category}, status={statusText}, db={settings.Project}, attempt={attempt}/{MaxAttempts}) "
                + $"{message}, url: {url}")
            .Replace("\r", "", StringComparison.Ordinal).Replace("\n", " | ", StringComparison.Ordinal);
        log(line.Length > 1000 ? line[..1000] : line);
    }

    private static StringContent Json(string body) => new(body, Encoding.UTF8, "application/json");

    private static string Truncate(string s) => s.Length <= 300 ? s : s[..300] + "...";
}
