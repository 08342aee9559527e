using System.Diagnostics.CodeAnalysis;
using KubeAudit.Core.Diagnostics;
using KubeAudit.Core.Events;
using KubeAudit.Core.Events.Filtering;

namespace KubeAudit.Core.Webhook;

/// <summary>
/// Answers kube-apiserver's webhook POSTs: authentication (401/403), method (405), content type (415),
/// size (413), body shape (400, also queued as a problem naming the peer), then the bounded queue
/// (200 when queued, 503 when full so the API server retries). Runs on the server's threads.
/// </summary>
[SuppressMessage("Design", "CA1001", Justification = "The receiver lives as long as the cmdlet's run; its ThreadLocal parsers hold managed objects only.")]
public sealed class WebhookReceiver : IWebhookHandler
{
    private readonly WebhookAuthenticator _authenticator;
    private readonly WebhookQueue _queue;
    private readonly AuditEventFilter? _filter;
    private readonly long _maxBodySize;
    private readonly ThreadLocal<AuditEventParser> _parsers = new(() => new AuditEventParser());

    /// <param name="authenticator">Who may post.</param>
    /// <param name="queue">Where accepted batches go.</param>
    /// <param name="filter">Events that do not match are dropped before they are queued.</param>
    /// <param name="maxBodySize">The largest body accepted, in bytes.</param>
    public WebhookReceiver(WebhookAuthenticator authenticator, WebhookQueue queue, AuditEventFilter? filter, long maxBodySize)
    {
        _authenticator = authenticator;
        _queue = queue;
        _filter = filter;
        _maxBodySize = maxBodySize;
    }

    /// <summary>What was answered so far.</summary>
    public WebhookStatistics Statistics { get; } = new();

    /// <inheritdoc />
    public async Task<WebhookResponse> HandleAsync(WebhookRequest request, CancellationToken cancellation)
    {
        var (response, events) = await AnswerAsync(request, cancellation).ConfigureAwait(false);
        Statistics.Count(response.StatusCode, events);
        return response;
    }

    private async Task<(WebhookResponse Response, int Events)> AnswerAsync(WebhookRequest request, CancellationToken cancellation)
    {
        if (_authenticator.Check(request) is { } refused)
        {
            return (refused, 0);
        }

        if (!string.Equals(request.Method, "POST", StringComparison.OrdinalIgnoreCase))
        {
            return (new WebhookResponse(405, "Method not allowed: POST audit.k8s.io EventList batches."), 0);
        }

        if (!IsJson(request.ContentType))
        {
            return (new WebhookResponse(415, $"Unsupported media type '{request.ContentType}': send application/json."), 0);
        }

        if (request.ContentLength > _maxBodySize)
        {
            return (TooLarge(), 0);
        }

        if (cancellation.IsCancellationRequested || _queue.EventCount >= _queue.Capacity)
        {
            return (Busy(), 0);
        }

        var body = await ReadBodyAsync(request, cancellation).ConfigureAwait(false);
        if (body is null)
        {
            return (TooLarge(), 0);
        }

        var batch = WebhookBodyParser.Parse(body.Value, request.Peer, _filter, _parsers.Value!, out var reason);
        if (batch is null)
        {
            // The pipeline hears of it too, as an error naming the peer; the queue takes it even if it filled meanwhile.
            var problem = new Diagnostic(
                DiagnosticCodes.WebhookBatchRefused,
                DiagnosticSeverity.Error,
                $"The webhook POST from {request.Peer} was refused (400): {reason} (a body of {body.Value.Length} bytes, Content-Length {request.ContentLength?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "none"}).",
                WebhookBodyParser.SourceOf(request.Peer),
                0,
                0,
                AuditEventParser.Snippet(body.Value.Span));
            _queue.TryAdd(new WebhookBatch(request.Peer, [new AuditLogRecord(null, problem)], 0), evenIfFull: true);
            return (new WebhookResponse(400, "Bad request: " + reason + "."), 0);
        }

        return _queue.TryAdd(batch)
            ? (new WebhookResponse(200, $"Accepted {batch.EventCount} events."), batch.EventCount)
            : (Busy(), 0);
    }

    private static WebhookResponse Busy() =>
        new(503, "Service unavailable: the receiver's queue is full (the pipeline is behind); retry later.");

    private WebhookResponse TooLarge() =>
        new(413, $"Payload too large: the limit is {_maxBodySize} bytes (-MaxBodySize).");

    private static bool IsJson(string? contentType)
    {
        if (contentType is null)
        {
            return false;
        }

        var semicolon = contentType.IndexOf(';');
        var media = (semicolon < 0 ? contentType : contentType[..semicolon]).Trim();
        return media.Equals("application/json", StringComparison.OrdinalIgnoreCase);
    }

    // Null when the body is longer than the limit (chunked bodies have no Content-Length to check first).
    private async Task<ReadOnlyMemory<byte>?> ReadBodyAsync(WebhookRequest request, CancellationToken cancellation)
    {
        var buffer = new byte[request.ContentLength is { } known ? (int)Math.Min(known, _maxBodySize) + 1 : 64 * 1024];
        var length = 0;
        while (true)
        {
            if (length == buffer.Length)
            {
                if (length > _maxBodySize)
                {
                    return null;
                }

                Array.Resize(ref buffer, (int)Math.Min(_maxBodySize + 1, buffer.Length * 2L));
            }

            var read = await request.Body.ReadAsync(buffer.AsMemory(length), cancellation).ConfigureAwait(false);
            if (read == 0)
            {
                // Not a ?: expression: there null would become an empty Memory through its conversion from byte[].
                if (length > _maxBodySize)
                {
                    return null;
                }

                return buffer.AsMemory(0, length);
            }

            length += read;
        }
    }
}
