using KubeAudit.Core.Events;
using KubeAudit.Core.Events.Filtering;

namespace KubeAudit.Core.Stores;

/// <summary>
/// Queries one store with the filters Get-KubeAuditEvent takes, compiled into the store's own query so only matching
/// events travel, and streams them back as the same <see cref="AuditEvent"/>s a file read gives (parsed from the
/// original JSON the store keeps). The same filter on the store and on the file gives the same events.
/// </summary>
public interface IAuditStoreReader : IDisposable
{
    /// <summary>Streams the matching events, oldest first; a stored document that is not an event becomes a record with an error.</summary>
    IEnumerable<AuditLogRecord> Query(AuditEventFilter filter, CancellationToken cancel);

    /// <summary>Counts the matching events in the store without fetching them.</summary>
    long Count(AuditEventFilter filter, CancellationToken cancel);
}
