using System.Text.Json;
using KubeAudit.Core.Diagnostics;
using KubeAudit.Core.Events;
using KubeAudit.Core.Events.Filtering;
using KubeAudit.Core.Events.Formats;

namespace KubeAudit.Core.Webhook;

/// <summary>
/// Reads a webhook body, an audit.k8s.io EventList (what kube-apiserver POSTs) or a single Event,
/// with the parser log files use. Each event's File is <c>webhook://&lt;peer&gt;</c> and its Line is its
/// 1-based index in the batch, so errors and events say who sent them and where in the batch.
/// </summary>
public static class WebhookBodyParser
{
    private static readonly JsonReaderOptions s_options = new() { MaxDepth = 512 };

    /// <summary>The File value events from <paramref name="peer"/> carry.</summary>
    public static string SourceOf(string peer) => "webhook://" + peer;

    /// <summary>
    /// Parses <paramref name="body"/>; returns null and sets <paramref name="reason"/> when the body as a
    /// whole is not an EventList or Event (answered 400). A bad item inside a good EventList becomes a
    /// problem record in place; the rest of the batch still counts.
    /// </summary>
    public static WebhookBatch? Parse(ReadOnlyMemory<byte> body, string peer, AuditEventFilter? filter, AuditEventParser parser, out string? reason)
    {
        reason = null;
        var source = SourceOf(peer);
        int itemsStart, itemsEnd;
        string? kind;
        try
        {
            if (!Shape(body.Span, out kind, out itemsStart, out itemsEnd, out reason))
            {
                return null;
            }
        }
        catch (JsonException ex)
        {
            reason = "the body is not valid JSON: " + Trim(ex.Message);
            return null;
        }
        catch (InvalidOperationException ex)
        {
            reason = "the body is not valid JSON text: " + Trim(ex.Message);
            return null;
        }

        var records = new List<AuditLogRecord>();
        var events = 0;
        if (itemsStart == -2)
        {
            return new WebhookBatch(peer, records, 0);
        }

        if (itemsStart < 0)
        {
            // One event (kind Event, or an object with no kind): what a hand-made client may send.
            var one = Take(body, 0, body.Length, 1, source, filter, parser, records);
            if (one is { Error: { Code: DiagnosticCodes.NotAnAuditEvent } problem })
            {
                reason = "the body is neither an audit.k8s.io EventList nor an Event (" + problem.Message + ")";
                return null;
            }

            events += records.Count(r => r.Event is not null);
            return new WebhookBatch(peer, records, events);
        }

        var reader = new Utf8JsonReader(body.Span[itemsStart..itemsEnd], s_options);
        reader.Read(); // [
        long index = 0;
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            var start = itemsStart + (int)reader.TokenStartIndex;
            reader.Skip();
            var end = itemsStart + (int)reader.BytesConsumed;
            Take(body, start, end, ++index, source, filter, parser, records);
        }

        foreach (var r in records)
        {
            if (r.Event is not null)
            {
                events++;
            }
        }

        return new WebhookBatch(peer, records, events);
    }

    // Parses one item; filtered-out events are dropped here, before they are queued or leave the module.
    private static AuditLogRecord? Take(ReadOnlyMemory<byte> body, int start, int end, long index, string source, AuditEventFilter? filter, AuditEventParser parser, List<AuditLogRecord> records)
    {
        var slice = body[start..end];
        if (filter is { IsEmpty: false } && !filter.MayMatch(slice.Span))
        {
            return null;
        }

        // A copy per event, as files do, so a kept event does not pin the whole batch.
        var ev = SafeEventParser.Parse(parser, slice.ToArray(), source, index, out var error);
        if (ev is not null && filter is { IsEmpty: false } && !filter.Matches(ev))
        {
            return null;
        }

        var record = new AuditLogRecord(ev, error);
        records.Add(record);
        return record;
    }

    // Finds the top-level kind and, for an EventList, the items array.
    private static bool Shape(ReadOnlySpan<byte> body, out string? kind, out int itemsStart, out int itemsEnd, out string? reason)
    {
        kind = null;
        itemsStart = itemsEnd = -1;
        reason = null;
        if (body.Trim(" \t\r\n"u8).IsEmpty)
        {
            reason = "the body is empty";
            return false;
        }

        var reader = new Utf8JsonReader(body, s_options);
        if (!reader.Read())
        {
            reason = "the body is empty";
            return false;
        }

        if (reader.TokenType != JsonTokenType.StartObject)
        {
            reason = "the body is not a JSON object (an audit.k8s.io EventList or Event)";
            return false;
        }

        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("kind"u8))
            {
                reader.Read();
                kind = reader.TokenType == JsonTokenType.String ? reader.GetString() : null;
            }
            else if (reader.ValueTextEquals("items"u8))
            {
                reader.Read();
                if (reader.TokenType == JsonTokenType.StartArray)
                {
                    itemsStart = (int)reader.TokenStartIndex;
                    reader.Skip();
                    itemsEnd = (int)reader.BytesConsumed;
                }
                else
                {
                    reader.Skip();
                }
            }
            else
            {
                reader.Read();
                reader.Skip();
            }
        }

        // Trailing bytes after the object are garbage too.
        if (reader.Read())
        {
            reason = "the body has more after its JSON object";
            return false;
        }

        if (kind == "EventList")
        {
            if (itemsStart < 0)
            {
                // "items": null is how Go writes an empty list.
                itemsStart = itemsEnd = -2;
            }

            return true;
        }

        if (kind is null or "Event")
        {
            itemsStart = itemsEnd = -1;
            return true;
        }

        reason = $"the body is a {kind}, not an audit.k8s.io EventList or Event";
        return false;
    }

    private static string Trim(string message)
    {
        var cut = message.IndexOf(" LineNumber:", StringComparison.Ordinal);
        return (cut > 0 ? message[..cut] : message).TrimEnd('.', ' ');
    }
}
