using KubeAudit.Core.Diagnostics;

namespace KubeAudit.Core.Events.Formats;

/// <summary>
/// Stops reading an input that is no audit log (a binary file, an image, other text) after a few records
/// it could not read, with one error instead of one per line. Applies to inputs whose first bytes look
/// like no known format; until the first event the errors are held back, and given out as they were once
/// an event shows the input is a log after all.
/// </summary>
internal static class NotAnAuditLog
{
    /// <summary>How many unreadable records, before any event, make an input "not an audit log".</summary>
    public const int Limit = 5;

    /// <summary>
    /// <paramref name="records"/>, or one error once they show the input is no audit log. With
    /// <paramref name="drain"/> the rest of the input is still consumed, unseen: text pushed through a
    /// pipeline has a writer waiting for it to be taken.
    /// </summary>
    public static IEnumerable<AuditLogRecord> Guard(IEnumerable<AuditLogRecord> records, string? file, bool drain = false)
    {
        var held = new List<AuditLogRecord>(Limit);
        var sawEvent = false;
        using var all = records.GetEnumerator();
        while (all.MoveNext())
        {
            var record = all.Current;
            if (sawEvent)
            {
                yield return record;
                continue;
            }

            if (record.Event is null && record.Error is { Severity: DiagnosticSeverity.Error })
            {
                held.Add(record);
                if (held.Count >= Limit)
                {
                    yield return new AuditLogRecord(null, Diagnose(held, file));
                    while (drain && all.MoveNext())
                    {
                    }

                    yield break;
                }

                continue;
            }

            sawEvent |= record.Event is not null;
            foreach (var h in held)
            {
                yield return h;
            }

            held.Clear();
            yield return record;
        }

        if (!sawEvent && held.Count > 0)
        {
            yield return new AuditLogRecord(null, Diagnose(held, file));
        }
    }

    private static Diagnostic Diagnose(List<AuditLogRecord> held, string? file)
    {
        var first = held[0].Error!;
        var reading = held.Count >= Limit ? $"the first {held.Count} records" : held.Count == 1 ? "its only record" : $"all {held.Count} of its records";
        return new Diagnostic(
            DiagnosticCodes.NotAnAuditLog,
            DiagnosticSeverity.Error,
            $"The input is not an audit log: {reading} could not be read as audit events, and its start matches no audit log format " +
            "(JSON events, legacy text, or a cloud export). Reading it stopped. The first problem: " + first.Message,
            file ?? first.File,
            first.Line,
            first.Column,
            first.Snippet);
    }
}
