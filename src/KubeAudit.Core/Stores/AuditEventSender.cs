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
    private readonly List<AuditEvent> _batch;
    private readonly Stopwatch _clock = new();
    private FollowPosition? _batchPosition;

    /// <summary>A sender writing through <paramref name="writer"/>.</summary>
    public AuditEventSender(IAuditStoreWriter writer, SendOptions options, string engine, string target)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentOutOfRangeException.ThrowIfLessThan(options.BatchSize, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(options.MaxAttempts, 1);
        _writer = writer;
        _options = options;
        _batch = new List<AuditEvent>(Math.Min(options.BatchSize, 100_000));
        Summary = new SendSummary { Engine = engine, Target = target };
    }

    /// <summary>The counts so far.</summary>
    public SendSummary Summary { get; }

    /// <summary>Events waiting for the batch to fill.</summary>
    public int Pending => _batch.Count;

    /// <summary>
    /// Adds one event; when the batch is full it is sent. Returns the events the store refused for good (empty mostly).
    /// <paramref name="position"/> is where the event's line ends when it was followed; the checkpoint moves to it once
    /// its batch is acknowledged.
    /// </summary>
    /// <exception cref="StoreException">The store failed the batch for good or stayed unavailable; its events count as failed.</exception>
    public IReadOnlyList<StoreItemError> Add(AuditEvent e, FollowPosition? position, CancellationToken cancel)
    {
        _clock.Start();
        _batch.Add(e);
        if (position is not null)
        {
            _batchPosition = position;
        }

        return _batch.Count >= _options.BatchSize ? Flush(cancel) : [];
    }

    /// <summary>Sends what is waiting (at the end, and while following when no more events come for a while).</summary>
    public IReadOnlyList<StoreItemError> Flush(CancellationToken cancel)
    {
        if (_batch.Count == 0)
        {
            return [];
        }

        try
        {
            var refused = SendAsync(_batch, cancel).GetAwaiter().GetResult();
            Summary.Batches++;
            if (_batchPosition is { } position && _options.CheckpointPath is { } checkpoint)
            {
                SendCheckpoint.Save(checkpoint, position);
            }

            return refused;
        }
        finally
        {
            _batch.Clear();
            _batchPosition = null;
            Summary.Elapsed = _clock.Elapsed;
        }
    }

    private async Task<IReadOnlyList<StoreItemError>> SendAsync(IReadOnlyList<AuditEvent> batch, CancellationToken cancel)
    {
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
