namespace KubeAudit.Core.Webhook;

/// <summary>Counters of what the receiver answered; updated from the server's threads.</summary>
public sealed class WebhookStatistics
{
    private long _batches;
    private long _events;
    private long _unauthorized;
    private long _forbidden;
    private long _badRequests;
    private long _tooLarge;
    private long _wrongType;
    private long _busy;

    /// <summary>Batches accepted (200).</summary>
    public long AcceptedBatches => Interlocked.Read(ref _batches);

    /// <summary>Events in accepted batches, after filtering.</summary>
    public long AcceptedEvents => Interlocked.Read(ref _events);

    /// <summary>Requests answered 401.</summary>
    public long Unauthorized => Interlocked.Read(ref _unauthorized);

    /// <summary>Requests answered 403.</summary>
    public long Forbidden => Interlocked.Read(ref _forbidden);

    /// <summary>Requests answered 400 (and 405 for a method other than POST).</summary>
    public long BadRequests => Interlocked.Read(ref _badRequests);

    /// <summary>Requests answered 413.</summary>
    public long TooLarge => Interlocked.Read(ref _tooLarge);

    /// <summary>Requests answered 415.</summary>
    public long WrongContentType => Interlocked.Read(ref _wrongType);

    /// <summary>Requests answered 503 because the queue was full or the receiver stopping.</summary>
    public long Busy => Interlocked.Read(ref _busy);

    internal void Count(int status, int events)
    {
        switch (status)
        {
            case 200:
                Interlocked.Increment(ref _batches);
                Interlocked.Add(ref _events, events);
                break;
            case 401: Interlocked.Increment(ref _unauthorized); break;
            case 403: Interlocked.Increment(ref _forbidden); break;
            case 413: Interlocked.Increment(ref _tooLarge); break;
            case 415: Interlocked.Increment(ref _wrongType); break;
            case 503: Interlocked.Increment(ref _busy); break;
            default: Interlocked.Increment(ref _badRequests); break;
        }
    }
}
