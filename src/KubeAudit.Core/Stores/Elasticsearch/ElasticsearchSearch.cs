using System.Text;
using System.Text.Json;
using KubeAudit.Core.Diagnostics;
using KubeAudit.Core.Events;
using KubeAudit.Core.Events.Filtering;

namespace KubeAudit.Core.Stores.Elasticsearch;

/// <summary>
/// Streaming the matching events, oldest first. Elasticsearch: a point in time with <c>search_after</c> on
/// (<c>@timestamp</c>, <c>_shard_doc</c>), Elasticsearch 7.12+. OpenSearch, and Elasticsearch older than 7.12 (whose
/// point-in-time API is missing or has no <c>_shard_doc</c>): a scroll sorted on <c>@timestamp</c>, which every version has;
/// OpenSearch's own point-in-time API (2.4+) has other endpoints and no documented tiebreaker, so it is not used.
/// </summary>
public sealed partial class ElasticsearchStore
{
    private const string KeepAlive = "2m";

    /// <inheritdoc />
    public IEnumerable<AuditLogRecord> Query(AuditEventFilter filter, CancellationToken cancel)
    {
        var query = ElasticsearchQuery.ToJson(filter);
        var parser = new AuditEventParser();
        var origin = _connection.Uri.ToString().TrimEnd('/') + "/" + _target;
        long ordinal = 0;
        var pages = _connection.Engine == StoreEngine.OpenSearch ? ScrollPages(query, cancel) : PointInTimePages(query, cancel);
        foreach (var page in pages)
        {
            using (page)
            {
                foreach (var hit in page.RootElement.GetProperty("hits").GetProperty("hits").EnumerateArray())
                {
                    cancel.ThrowIfCancellationRequested();
                    yield return Rebuild(hit, parser, origin, ++ordinal);
                }
            }
        }
    }

    private static AuditLogRecord Rebuild(JsonElement hit, AuditEventParser parser, string origin, long ordinal)
    {
        string? original = null;
        if (hit.TryGetProperty("_source", out var source) && source.TryGetProperty("event", out var ev)
            && ev.ValueKind == JsonValueKind.Object && ev.TryGetProperty("original", out var o) && o.ValueKind == JsonValueKind.String)
        {
            original = o.GetString();
        }

        if (string.IsNullOrEmpty(original))
        {
            var id = hit.TryGetProperty("_id", out var i) ? i.GetString() : "?";
            return new AuditLogRecord(null, new Diagnostic(
                DiagnosticCodes.NotAnAuditEvent,
                DiagnosticSeverity.Error,
                $"The document {id} has no event.original to rebuild the event from (documents not sent by KubeAudit keep it only with the integration's preserve_original_event).",
                origin,
                ordinal));
        }

        var e = parser.Parse(Encoding.UTF8.GetBytes(original), origin, ordinal, out var error);
        return new AuditLogRecord(e, error);
    }

    private IEnumerable<JsonDocument> PointInTimePages(string query, CancellationToken cancel)
    {
        var opened = SendJson(HttpMethod.Post, TargetPath + "/_pit?keep_alive=" + KeepAlive, null, "open a point in time on", cancel, out var status, out var error, throwOnError: false);
        if (opened is null)
        {
            if (status is 400 or 404 or 405)
            {
                // Elasticsearch before 7.10 has no point in time.
                foreach (var page in ScrollPages(query, cancel))
                {
                    yield return page;
                }

                yield break;
            }

            throw ElasticsearchHttp.Failure(status, error ?? string.Empty, "open a point in time on", _target);
        }

        string pit;
        using (opened)
        {
            pit = opened.RootElement.GetProperty("id").GetString()!;
        }

        string? after = null;
        var first = true;
        try
        {
            while (true)
            {
                var body = SearchBody(query, pit, after);
                var page = SendJson(HttpMethod.Post, "_search", body, "search", cancel, out status, out error, throwOnError: !first);
                if (page is null)
                {
                    // 7.10 and 7.11 have a point in time but no _shard_doc tiebreaker: scroll instead.
                    if (status == 400 && error?.Contains("_shard_doc", StringComparison.Ordinal) == true)
                    {
                        break;
                    }

                    throw ElasticsearchHttp.Failure(status, error ?? string.Empty, "search", _target);
                }

                first = false;
                var hits = page.RootElement.GetProperty("hits").GetProperty("hits");
                var count = hits.GetArrayLength();
                if (page.RootElement.TryGetProperty("pit_id", out var next) && next.GetString() is { } nextPit)
                {
                    pit = nextPit;
                }

                after = count > 0 ? hits[count - 1].GetProperty("sort").GetRawText() : null;
                if (count == 0)
                {
                    page.Dispose();
                    yield break;
                }

                yield return page;
                if (count < PageSize)
                {
                    yield break;
                }
            }
        }
        finally
        {
            Close("_pit", "{\"id\":" + JsonSerializer.Serialize(pit) + "}");
        }

        foreach (var page in ScrollPages(query, cancel))
        {
            yield return page;
        }
    }

    private string SearchBody(string query, string pit, string? after)
    {
        var sb = new StringBuilder(256 + query.Length);
        sb.Append("{\"size\":").Append(PageSize)
          .Append(",\"query\":").Append(query)
          .Append(",\"sort\":[{\"@timestamp\":{\"order\":\"asc\"}},{\"_shard_doc\":\"asc\"}]")
          .Append(",\"_source\":[\"event.original\"],\"track_total_hits\":false")
          .Append(",\"pit\":{\"id\":").Append(JsonSerializer.Serialize(pit)).Append(",\"keep_alive\":\"").Append(KeepAlive).Append("\"}");
        if (after is not null)
        {
            sb.Append(",\"search_after\":").Append(after);
        }

        return sb.Append('}').ToString();
    }

    private IEnumerable<JsonDocument> ScrollPages(string query, CancellationToken cancel)
    {
        var body = "{\"size\":" + PageSize + ",\"query\":" + query + ",\"sort\":[{\"@timestamp\":{\"order\":\"asc\"}}],\"_source\":[\"event.original\"]}";
        var page = SendJson(HttpMethod.Post, TargetPath + "/_search?scroll=" + KeepAlive, body, "search", cancel, out _, out _)!;
        string? scroll = null;
        try
        {
            while (true)
            {
                if (page.RootElement.TryGetProperty("_scroll_id", out var id))
                {
                    scroll = id.GetString();
                }

                var count = page.RootElement.GetProperty("hits").GetProperty("hits").GetArrayLength();
                if (count == 0 || scroll is null)
                {
                    if (count > 0)
                    {
                        yield return page;
                    }
                    else
                    {
                        page.Dispose();
                    }

                    yield break;
                }

                yield return page;
                var next = "{\"scroll\":\"" + KeepAlive + "\",\"scroll_id\":" + JsonSerializer.Serialize(scroll) + "}";
                page = SendJson(HttpMethod.Post, "_search/scroll", next, "continue the search on", cancel, out _, out _)!;
            }
        }
        finally
        {
            if (scroll is not null)
            {
                Close("_search/scroll", "{\"scroll_id\":[" + JsonSerializer.Serialize(scroll) + "]}");
            }
        }
    }

    // Frees the server's search context; it expires by itself anyway, so a failure here is not worth an error.
    private void Close(string path, string body)
    {
        try
        {
            SendJson(HttpMethod.Delete, path, body, "close the search on", CancellationToken.None, out _, out _, throwOnError: false)?.Dispose();
        }
        catch (StoreException)
        {
        }
    }
}
