using KubeAudit.Core.Events;

namespace KubeAudit.Core.Webhook;

/// <summary>What one accepted POST gave: its events (already filtered) and problems, in batch order.</summary>
/// <param name="Peer">The client that sent it.</param>
/// <param name="Records">Events and per-item problems, in the order of the batch.</param>
/// <param name="EventCount">How many of <paramref name="Records"/> are events.</param>
public sealed record WebhookBatch(string Peer, IReadOnlyList<AuditLogRecord> Records, int EventCount);
