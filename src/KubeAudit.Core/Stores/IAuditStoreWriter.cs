namespace KubeAudit.Core.Stores;

/// <summary>
/// Sends batches of events to one store. One attempt per call: batching, retry with backoff, checkpoints and the
/// summary are the sender's (engine-agnostic), so every engine only speaks its own wire format.
/// </summary>
public interface IAuditStoreWriter : IDisposable
{
    /// <summary>Creates what the store needs before the first batch (index template; CREATE TABLE), if missing.</summary>
    Task CreateSchemaAsync(CancellationToken cancel);

    /// <summary>
    /// Sends one batch. Throws <see cref="StoreException"/> when the whole request failed; returns the per-event
    /// refusals otherwise. Re-sending an event already stored must not store it twice (see <see cref="DocumentId"/>).
    /// </summary>
    Task<SendOutcome> SendAsync(IReadOnlyList<AuditEvent> batch, CancellationToken cancel);
}
