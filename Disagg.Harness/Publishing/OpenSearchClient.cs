using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Disagg.Harness.Publishing;

/// <summary>
/// The ingestion-service contract (reference §2): a bulk POST of a JSON array, and the history GET with
/// a JSON body. Up to <see cref="MaxAttempts"/> attempts, sleeping min(attempt × 2, 10) s on the injected
/// clock, for 429, 5xx and network errors; other 4xx fail at once. Messages never contain credentials.
/// </summary>
public sealed class OpenSearchClient(HttpClient http, OpenSearchSettings settings, TimeProvider time, Action<string> log)
{
    public const int MaxAttempts = 5;

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
        for (var attempt = 1; ; attempt++)
        {
            string category;
            int? status = null;
            string message;
            Exception? inner = null;
            using var timeoutSource = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeoutSource.CancelAfter(timeout);
            try
            {
                using var request = create();
                request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
                request.Headers.TryAddWithoutValidation("Accept-Charset", "UTF-8");
                using var response = await http.SendAsync(request, timeoutSource.Token);
                var body = await response.Content.ReadAsStringAsync(timeoutSource.Token);
                status = (int)response.StatusCode;
                if (response.StatusCode is HttpStatusCode.OK or HttpStatusCode.Created or HttpStatusCode.Accepted) return body;
                var retryable = status == 429 || status >= 500;
                category = retryable ? "transient" : "non_retryable";
                message = $"HTTP {status} {Truncate(body)}";
                if (!retryable) throw Fail(category, status, attempt, message + Hint(status.Value), op);
            }
            catch (OperationCanceledException e) when (!cancellationToken.IsCancellationRequested)
            {
                category = "network";
                message = $"no answer within {timeout.TotalSeconds:0} s";
                inner = e;
            }
            catch (HttpRequestException e)
            {
                category = "network";
                message = e.Message;
                inner = e;
            }
            Log(op, category, status, attempt, message);
            if (attempt >= MaxAttempts)
                throw Fail("exhausted", status, attempt, $"gave up after {attempt} attempts; last error: {message}", op, inner);
            await Task.Delay(Backoff(attempt), time, cancellationToken);
        }
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
        var url = op == "post" ? $"{settings.DisplayBase}/dataflow2/{settings.Project}/posting" : $"{settings.DisplayBase}/opensearch/df-{settings.Project}-*/_search";
        var line = $"[OpenSearchDB][ERROR](op={op}, cat={category}, status={status?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "-"}, db={settings.Project}, attempt={attempt}/{MaxAttempts}) {message}, url: {url}"
            .Replace("\r", "", StringComparison.Ordinal).Replace("\n", " | ", StringComparison.Ordinal);
        log(line.Length > 1000 ? line[..1000] : line);
    }

    private static StringContent Json(string body) => new(body, Encoding.UTF8, "application/json");

    private static string Truncate(string s) => s.Length <= 300 ? s : s[..300] + "...";
}
