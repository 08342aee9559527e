using System.Text.Json;

namespace KubeAudit.Core.Stores.Elasticsearch;

/// <summary>Reads a _bulk answer into what was stored and what was refused, item by item.</summary>
internal static class BulkResponse
{
    /// <summary>
    /// Item i answers for <paramref name="sent"/>[i]. 2xx is stored; 409 version_conflict_engine_exception means the
    /// document is already there (a re-send) and counts as stored; 429 and 5xx may succeed when sent again; anything else
    /// (a mapping conflict, say) will not.
    /// </summary>
    public static SendOutcome Read(ReadOnlySpan<byte> body, IReadOnlyList<AuditEvent> sent, IReadOnlyList<StoreItemError> unsendable)
    {
        using var doc = Parse(body);
        var root = doc.RootElement;
        var failed = new List<StoreItemError>(unsendable);
        if (root.TryGetProperty("errors", out var errors) && errors.ValueKind == JsonValueKind.False
            && !(root.TryGetProperty("items", out var all) && all.GetArrayLength() != sent.Count))
        {
            return new SendOutcome(sent.Count, failed);
        }

        if (!root.TryGetProperty("items", out var items) || items.ValueKind != JsonValueKind.Array || items.GetArrayLength() != sent.Count)
        {
            var count = root.TryGetProperty("items", out var i) && i.ValueKind == JsonValueKind.Array ? i.GetArrayLength() : 0;
            throw new StoreException($"The bulk answer has {count} items for the {sent.Count} documents sent; nothing in it can be trusted (sending again is harmless: stored events answer 409).", 200, retryable: true);
        }

        var accepted = 0;
        var index = 0;
        foreach (var item in items.EnumerateArray())
        {
            var e = sent[index++];
            var result = item.EnumerateObject().FirstOrDefault().Value; // {"create": {...}}
            var status = result.ValueKind == JsonValueKind.Object && result.TryGetProperty("status", out var s) ? s.GetInt32() : 0;
            var error = result.ValueKind == JsonValueKind.Object && result.TryGetProperty("error", out var er) ? er : default;
            if (status is >= 200 and < 300 && error.ValueKind == JsonValueKind.Undefined)
            {
                accepted++;
                continue;
            }

            var type = error.ValueKind == JsonValueKind.Object && error.TryGetProperty("type", out var t) ? t.GetString() : null;
            if (status == 409 && type == "version_conflict_engine_exception")
            {
                accepted++; // stored by an earlier send
                continue;
            }

            var reason = error.ValueKind == JsonValueKind.Object ? ElasticsearchHttp.ErrorText(error) : error.ValueKind == JsonValueKind.Undefined ? "status " + status : error.ToString();
            failed.Add(new StoreItemError(e, reason, status, ElasticsearchHttp.IsRetryable(status)));
        }

        return new SendOutcome(accepted, failed);
    }

    private static JsonDocument Parse(ReadOnlySpan<byte> body)
    {
        try
        {
            return JsonDocument.Parse(body.ToArray());
        }
        catch (JsonException ex)
        {
            throw new StoreException("The bulk answer is not JSON: " + ex.Message, 200, retryable: true, ex);
        }
    }
}
