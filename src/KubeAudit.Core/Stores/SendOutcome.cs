namespace KubeAudit.Core.Stores;

/// <summary>One event the store refused inside an accepted batch (a bulk item error).</summary>
/// <param name="Event">The event refused.</param>
/// <param name="Reason">The store's reason, as it gave it (e.g. <c>mapper_parsing_exception: ...</c>).</param>
/// <param name="StatusCode">The item's status (e.g. 400, 429).</param>
/// <param name="Retryable">Whether sending the event again may succeed (429, 5xx).</param>
public sealed record StoreItemError(AuditEvent Event, string Reason, int StatusCode, bool Retryable);

/// <summary>What one batch sent gave.</summary>
/// <param name="Accepted">Events the store acknowledged (a duplicate of one already stored counts as accepted).</param>
/// <param name="Failed">Events the store refused, each with its reason.</param>
public sealed record SendOutcome(int Accepted, IReadOnlyList<StoreItemError> Failed);
