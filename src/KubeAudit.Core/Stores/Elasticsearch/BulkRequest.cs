using System.Buffers;
using System.Text.Json;
using KubeAudit.Core.Stores.Ecs;

namespace KubeAudit.Core.Stores.Elasticsearch;

/// <summary>
/// One _bulk body: for each event a <c>create</c> action keyed by <see cref="DocumentId"/> and its ECS document with
/// <c>event.original</c> (the store rebuilds events from it). <c>create</c>, not <c>index</c>: data streams take nothing
/// else, and a re-sent event then answers 409 (already stored) instead of being written again.
/// </summary>
internal sealed class BulkRequest
{
    private BulkRequest(ReadOnlyMemory<byte> body, IReadOnlyList<AuditEvent> sent, IReadOnlyList<StoreItemError> unsendable)
    {
        Body = body;
        Sent = sent;
        Unsendable = unsendable;
    }

    /// <summary>The NDJSON body, every line ending in a newline.</summary>
    public ReadOnlyMemory<byte> Body { get; }

    /// <summary>The events in the body, in order: item i of the answer is Sent[i].</summary>
    public IReadOnlyList<AuditEvent> Sent { get; }

    /// <summary>Events that could not be written at all (no JSON to send).</summary>
    public IReadOnlyList<StoreItemError> Unsendable { get; }

    public static BulkRequest Build(IReadOnlyList<AuditEvent> batch)
    {
        var buffer = new ArrayBufferWriter<byte>(Math.Max(4096, batch.Count * 2048));
        var sent = new List<AuditEvent>(batch.Count);
        var unsendable = new List<StoreItemError>();
        using var writer = new Utf8JsonWriter(buffer, EcsDocument.WriterOptions);
        foreach (var e in batch)
        {
            if (e.GetUtf8Json().IsEmpty)
            {
                unsendable.Add(new StoreItemError(e, "the event has no JSON to send", 0, Retryable: false));
                continue;
            }

            writer.Reset();
            writer.WriteStartObject();
            writer.WriteStartObject("create"u8);
            writer.WriteString("_id"u8, DocumentId.For(e));
            writer.WriteEndObject();
            writer.WriteEndObject();
            writer.Flush();
            buffer.Write("\n"u8);

            writer.Reset();
            EcsDocument.Write(e, writer, includeOriginal: true);
            writer.Flush();
            buffer.Write("\n"u8);
            sent.Add(e);
        }

        return new BulkRequest(buffer.WrittenMemory, sent, unsendable);
    }
}
