using System.Diagnostics.CodeAnalysis;

namespace KubeAudit.Core.Webhook;

/// <summary>
/// The accepted batches waiting for the pipeline, bounded in events: a batch that does not fit is
/// refused (the server answers 503 and the API server retries it), never accepted and then dropped.
/// A batch always fits into an empty queue, so one larger than the capacity cannot block forever.
/// </summary>
[SuppressMessage("Naming", "CA1711", Justification = "It is a queue: batches wait in it for the pipeline.")]
[SuppressMessage("Design", "CA1001", Justification = "Its SemaphoreSlim never creates a wait handle (no AvailableWaitHandle), so it holds nothing to release.")]
public sealed class WebhookQueue
{
    private readonly Queue<WebhookBatch> _batches = new();
    private readonly SemaphoreSlim _available = new(0);
    private readonly object _gate = new();
    private readonly int _capacity;
    private int _events;
    private bool _closed;

    /// <param name="capacity">The most events held at once.</param>
    public WebhookQueue(int capacity)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        _capacity = capacity;
    }

    /// <summary>The most events held at once.</summary>
    public int Capacity => _capacity;

    /// <summary>Events waiting.</summary>
    public int EventCount
    {
        get
        {
            lock (_gate)
            {
                return _events;
            }
        }
    }

    /// <summary>Batches waiting.</summary>
    public int BatchCount
    {
        get
        {
            lock (_gate)
            {
                return _batches.Count;
            }
        }
    }

    /// <summary>Adds <paramref name="batch"/> if it fits (or <paramref name="evenIfFull"/>) and the queue is open.</summary>
    public bool TryAdd(WebhookBatch batch, bool evenIfFull = false)
    {
        var size = Math.Max(1, batch.Records.Count);
        lock (_gate)
        {
            if (_closed || (!evenIfFull && _batches.Count > 0 && _events + size > _capacity))
            {
                return false;
            }

            _batches.Enqueue(batch);
            _events += size;
        }

        _available.Release();
        return true;
    }

    /// <summary>Takes the oldest batch, waiting up to <paramref name="wait"/>.</summary>
    public bool TryTake(TimeSpan wait, CancellationToken cancellation, out WebhookBatch? batch)
    {
        batch = null;
        if (!_available.Wait(wait, cancellation))
        {
            return false;
        }

        lock (_gate)
        {
            batch = _batches.Dequeue();
            _events -= Math.Max(1, batch.Records.Count);
            return true;
        }
    }

    /// <summary>Refuses new batches from now on (what is queued stays to be drained).</summary>
    public void Close()
    {
        lock (_gate)
        {
            _closed = true;
        }
    }
}
