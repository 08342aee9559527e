using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;

namespace KubeAudit.Core.Stores.Elasticsearch;

/// <summary>
/// The HTTP side of Elasticsearch and OpenSearch: one client per store (auth, TLS trust) and the mapping of a failed answer
/// to a <see cref="StoreException"/> that says whether trying again may help.
/// </summary>
/// <remarks>
/// Plain <see cref="HttpClient"/> on the documented REST APIs (_bulk, _index_template, _data_stream, _pit, _search,
/// _search/scroll, _count) rather than Elastic.Clients.Elasticsearch: that client (9.x) speaks to Elasticsearch 9 only
/// (8.x and 7.x each need their own major), and none of its versions speaks to OpenSearch, while these APIs have been the
/// same on the wire since Elasticsearch 7.10 and in every OpenSearch. One client would also drag its transport and
/// serializer dependencies into KubeAudit's load context for a handful of requests.
/// </remarks>
internal static class ElasticsearchHttp
{
    public static HttpClient Create(StoreConnection connection)
    {
        var handler = new SocketsHttpHandler
        {
            AutomaticDecompression = DecompressionMethods.All,
            PooledConnectionLifetime = TimeSpan.FromMinutes(5),
        };
        StoreTls.Configure(handler, connection);

        var root = connection.Uri.ToString();
        var client = new HttpClient(handler, disposeHandler: true)
        {
            BaseAddress = new Uri(root.EndsWith('/') ? root : root + "/"),
            Timeout = connection.Timeout,
        };
        if (!string.IsNullOrEmpty(connection.ApiKey))
        {
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("ApiKey", connection.ApiKey);
        }
        else
        {
            client.DefaultRequestHeaders.Authorization = StoreHttp.BasicAuthorization(connection);
        }

        return client;
    }

    /// <summary>Whether a failed answer may succeed when sent again: too many requests, or the server's trouble.</summary>
    public static bool IsRetryable(int status) => status == 429 || status >= 500;

    /// <summary>The exception for a failed answer, with the store's own reason and what to do about it.</summary>
    public static StoreException Failure(int status, string body, string action, string target)
    {
        var reason = Reason(body);
        var message = status switch
        {
            401 => $"The store refused the credentials (401) to {action} '{target}': {reason}. Check -Credential or -ApiKey.",
            403 => $"The user or API key may not {action} '{target}' (403): {reason}. It needs the index privileges create_doc (send), read (query), and manage_index_templates plus create_index (index template).",
            404 => $"Nothing found to {action} at '{target}' (404): {reason}.",
            413 => $"The request to {action} '{target}' is too large for the store (413): send smaller batches (-BatchSize).",
            429 => $"The store is overloaded and asks to slow down (429) while trying to {action} '{target}': {reason}.",
            _ when status >= 500 => $"The store failed ({status}) to {action} '{target}': {reason}.",
            _ => $"The store refused to {action} '{target}' ({status}): {reason}.",
        };
        return new StoreException(message, status, IsRetryable(status));
    }

    /// <summary>The exception for a request that got no answer (refused, timed out, TLS failed): always worth retrying.</summary>
    public static StoreException NoAnswer(Exception ex, Uri uri, string action) =>
        new($"No answer from {uri} to {action}: {ex.Message}{(ex.InnerException is { } inner ? " (" + inner.Message + ")" : string.Empty)}", null, retryable: true, ex);

    /// <summary><c>type: reason</c> from an Elasticsearch error body (<c>{"error":{"type":..,"reason":..},"status":..}</c>), else the body's start.</summary>
    public static string Reason(string body)
    {
        try
        {
            using var doc = JsonDocument.Parse(body);
            if (doc.RootElement.ValueKind == JsonValueKind.Object && doc.RootElement.TryGetProperty("error", out var error))
            {
                return error.ValueKind == JsonValueKind.Object ? ErrorText(error) : error.ToString();
            }
        }
        catch (JsonException)
        {
            // Not JSON (a proxy's HTML page): show its start.
        }

        var text = body.Trim();
        return text.Length == 0 ? "no details given" : (text.Length > 300 ? text[..300] + "..." : text);
    }

    /// <summary><c>type: reason (caused by: ...)</c> of an error object.</summary>
    public static string ErrorText(JsonElement error)
    {
        var type = error.TryGetProperty("type", out var t) ? t.GetString() : null;
        var reason = error.TryGetProperty("reason", out var r) ? r.GetString() : null;
        var text = type is null ? reason ?? error.ToString() : reason is null ? type : type + ": " + reason;
        if (error.TryGetProperty("caused_by", out var cause) && cause.ValueKind == JsonValueKind.Object)
        {
            text += " (caused by " + ErrorText(cause) + ")";
        }

        return text;
    }
}
