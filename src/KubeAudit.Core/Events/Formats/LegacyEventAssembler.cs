using KubeAudit.Core.Diagnostics;

namespace KubeAudit.Core.Events.Formats;

/// <summary>
/// Keeps records in input order while pre-1.7 basic-audit request lines wait for their response line
/// (same <c>id=</c>, written when the response started; on a busy server other lines come between).
/// Every record of <see cref="LineDispatcher"/> (AuditSource's line-by-line reading) goes through here; with
/// nothing waiting it passes straight on. The plain JSON-lines path (JsonLinesReader) has no legacy lines and skips it.
/// A request still waiting after <see cref="Window"/> later records, or at the end, comes out as it is.
/// </summary>
internal sealed class LegacyEventAssembler
{
    /// <summary>How many records may queue behind a waiting request before it is given up on.</summary>
    public const int Window = 10_000;

    private readonly Queue<Slot> _queue = new();
    private readonly Dictionary<string, Slot> _waiting = new(StringComparer.Ordinal);
    private readonly Func<LegacyLine, LegacyLine?, AuditLogRecord> _build;
    private readonly string? _file;

    /// <param name="build">Builds the record for a request line and its response line (or null).</param>
    /// <param name="file">Names the input in diagnostics.</param>
    public LegacyEventAssembler(Func<LegacyLine, LegacyLine?, AuditLogRecord> build, string? file)
    {
        _build = build;
        _file = file;
    }

    /// <summary>Adds a finished record.</summary>
    public void Add(AuditLogRecord record, List<AuditLogRecord> output)
    {
        if (_queue.Count == 0)
        {
            output.Add(record);
            return;
        }

        _queue.Enqueue(new Slot { Record = record });
        Drain(output);
    }

    /// <summary>Adds a legacy line: a full line, a basic request that waits, or a basic response that completes one.</summary>
    public void AddLegacy(LegacyLine line, List<AuditLogRecord> output)
    {
        if (line.IsBasicRequest && line.Id is { } id)
        {
            if (_waiting.Remove(id, out var older))
            {
                // Same id again before a response: the older request will not get one.
                older.Record = _build(older.Request!, null);
            }

            var slot = new Slot { Request = line };
            _waiting[id] = slot;
            _queue.Enqueue(slot);
            Drain(output);
            return;
        }

        if (line.IsBasicResponse)
        {
            if (line.Id is { } rid && _waiting.Remove(rid, out var slot))
            {
                slot.Record = _build(slot.Request!, line);
                Drain(output);
                return;
            }

            Add(new AuditLogRecord(null, Unmatched(line)), output);
            return;
        }

        Add(_build(line, null), output);
    }

    /// <summary>Gives up on every waiting request and releases everything queued.</summary>
    public void Flush(List<AuditLogRecord> output)
    {
        foreach (var slot in _waiting.Values)
        {
            slot.Record = _build(slot.Request!, null);
        }

        _waiting.Clear();
        Drain(output);
    }

    private void Drain(List<AuditLogRecord> output)
    {
        while (_queue.TryPeek(out var head))
        {
            if (head.Record is null)
            {
                if (_queue.Count <= Window)
                {
                    return;
                }

                _waiting.Remove(head.Request!.Id!);
                head.Record = _build(head.Request, null);
            }

            output.Add(_queue.Dequeue().Record!.Value);
        }
    }

    private Diagnostic Unmatched(LegacyLine line) => new(
        DiagnosticCodes.UnmatchedLegacyResponse,
        DiagnosticSeverity.Warning,
        $"A basic-audit response line (id=\"{line.Id}\", response=\"{line.Get("response")}\") has no request line with that id " +
        $"among the previous {Window} records; its response code is not attached to any event.",
        _file,
        line.Line,
        1);

    private sealed class Slot
    {
        public LegacyLine? Request;
        public AuditLogRecord? Record;
    }
}
