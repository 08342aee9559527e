using KubeAudit.Core.Diagnostics;

namespace KubeAudit.Core.Events;

/// <summary>What reading one line gave: an event, or the reason there is none.</summary>
/// <param name="Event">The event, when the line held one.</param>
/// <param name="Error">Why the line gave no event.</param>
public readonly record struct AuditLogRecord(AuditEvent? Event, Diagnostic? Error);
