using System.Net.Http.Headers;
using System.Text.Json;

namespace KubeAudit.Core.Stores.Elasticsearch;

/// <summary>
/// The HTTP side of Elasticsearch and OpenSearch: the shared client rooted at the store (with API keys) and the mapping of a failed answer
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
    /// <summary><see cref="StoreHttp.CreateClient"/> rooted at the store, with the API key when one is given.</summary>
    public static HttpClient Create(StoreConnection connection)
    {
        var client = StoreHttp.CreateClient(connection);
        var root = connection.Uri.ToString();
        client.BaseAddress = new Uri(root.EndsWith('/') ? root : root + "/");
        if (!string.IsNullOrEmpty(connection.ApiKey))
        {
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("ApiKey", connection.ApiKey);
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
