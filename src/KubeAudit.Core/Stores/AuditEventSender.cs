using System.Diagnostics;
using KubeAudit.Core.Events.Follow;

namespace KubeAudit.Core.Stores;

/// <summary>
/// Sends events to any store engine in batches: retries with backoff what the store may take later (a failed request
/// marked retryable, refused items marked retryable), counts what happened, and after each acknowledged batch saves the
/// position of its last followed event as the checkpoint. A re-sent event is stored once (<see cref="DocumentId"/>), so
/// retrying and resuming never count twice.
/// </summary>
public sealed class AuditEventSender
{
    private readonly IAuditStoreWriter _writer;
    private readonly SendOptions _options;
    private readonly Stopwatch _clock = new();
    private List<AuditEvent> _batch;
    private FollowPosition? _batchPosition;

    // One batch travels while the next is read: sending overlaps reading, and batches still complete in order.
    private Task<IReadOnlyList<StoreItemError>>? _inFlight;
    private FollowPosition? _inFlightPosition;

    /// <summary>A sender writing through <paramref name="writer"/>.</summary>
    public AuditEventSender(IAuditStoreWriter writer, SendOptions options, string engine, string target)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentOutOfRangeException.ThrowIfLessThan(options.BatchSize, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(options.MaxAttempts, 1);
        _writer = writer;
        _options = options;
        _batch = NewBatch();
        Summary = new SendSummary { Engine = engine, Target = target };
    }

    /// <summary>The counts so far.</summary>
    public SendSummary Summary { get; }

    /// <summary>Events not yet acknowledged: waiting for the batch to fill, or travelling.</summary>
    public int Pending => _batch.Count + (_inFlight is null ? 0 : 1);

    /// <summary>
    /// Adds one event; when the batch is full it is sent, while the next one fills. Returns the events the store refused
    /// for good in the batch before (empty mostly). <paramref name="position"/> is where the event's line ends when it
    /// was followed; the checkpoint moves to it once its batch is acknowledged.
    /// </summary>
    /// <exception cref="StoreException">The store failed the batch before for good or stayed unavailable; its events,
    /// and those waiting, count as failed.</exception>
    public IReadOnlyList<StoreItemError> Add(AuditEvent e, FollowPosition? position, CancellationToken cancel)
    {
        _clock.Start();
        _batch.Add(e);
        if (position is not null)
        {
            _batchPosition = position;
        }

        return _batch.Count >= _options.BatchSize ? Dispatch(cancel) : [];
    }

    /// <summary>Sends what is waiting and waits for every batch to be acknowledged (at the end, and when a follow is idle).</summary>
    public IReadOnlyList<StoreItemError> Flush(CancellationToken cancel)
    {
        var refused = _batch.Count > 0 ? Dispatch(cancel) : [];
        var last = Complete();
        return refused.Count == 0 ? last : last.Count == 0 ? refused : [.. refused, .. last];
    }

    // Waits for the batch travelling, then sends the full one.
    private IReadOnlyList<StoreItemError> Dispatch(CancellationToken cancel)
    {
        IReadOnlyList<StoreItemError> refused;
        try
        {
            refused = Complete();
        }
        catch (Exception)
        {
            // The store failed: what was read meanwhile is not sent either.
            Summary.Failed += _batch.Count;
            _batch.Clear();
            _batchPosition = null;
            throw;
        }

        _inFlight = SendAsync(_batch, cancel);
        _inFlightPosition = _batchPosition;
        _batch = NewBatch();
        _batchPosition = null;
        return refused;
    }

    private IReadOnlyList<StoreItemError> Complete()
    {
        if (_inFlight is not { } sending)
        {
            return [];
        }

        try
        {
            var refused = sending.GetAwaiter().GetResult();
            Summary.Batches++;
            if (_inFlightPosition is { } position && _options.CheckpointPath is { } checkpoint)
            {
                SendCheckpoint.Save(checkpoint, position);
            }

            return refused;
        }
        finally
        {
            _inFlight = null;
            _inFlightPosition = null;
            Summary.Elapsed = _clock.Elapsed;
        }
    }

    private List<AuditEvent> NewBatch() => new(Math.Min(_options.BatchSize, 100_000));

    private async Task<IReadOnlyList<StoreItemError>> SendAsync(IReadOnlyList<AuditEvent> batch, CancellationToken cancel)
    {
        await Task.Yield(); // off the reading thread
        var refused = new List<StoreItemError>();
        var pending = batch;
        for (var attempt = 1; ; attempt++)
        {
            if (attempt > 1)
            {
                Summary.Retried += pending.Count;
                await _options.Delay(Backoff(attempt), cancel).ConfigureAwait(false);
            }

            SendOutcome outcome;
            try
            {
                outcome = await _writer.SendAsync(pending, cancel).ConfigureAwait(false);
            }
            catch (StoreException ex) when (ex.Retryable && attempt < _options.MaxAttempts)
            {
                continue;
            }
            catch (StoreException ex)
            {
                Summary.Failed += pending.Count;
                throw attempt == 1 ? ex : new StoreException($"{ex.Message} (gave up after {attempt} attempts)", ex.StatusCode, ex.Retryable, ex);
            }

            Summary.Sent += outcome.Accepted;
            var again = new List<AuditEvent>();
            foreach (var item in outcome.Failed)
            {
                if (item.Retryable && attempt < _options.MaxAttempts)
                {
                    again.Add(item.Event);
                }
                else
                {
                    refused.Add(item);
                    Summary.Failed++;
                }
            }

            if (again.Count == 0)
            {
                return refused;
            }

            pending = again;
        }
    }

    private TimeSpan Backoff(int attempt)
    {
        var delay = _options.FirstDelay * Math.Pow(2, attempt - 2);
        return delay < _options.MaxDelay ? delay : _options.MaxDelay;
    }
}
