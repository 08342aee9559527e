using KubeAudit.Core.Diagnostics;

namespace KubeAudit.Core.Events.Formats;

/// <summary>
/// JSON lines, the API server's own format: <see cref="JsonLinesReader"/> does the work. Lines it cannot
/// take as events are looked at again through a <see cref="LineTapStream"/>, so a file that mixes plain
/// events with CloudWatch-wrapped, timestamped or legacy lines still comes out whole.
/// </summary>
internal static class JsonLinesFormatReader
{
    public static IEnumerable<AuditLogRecord> Read(Stream stream, string? file, long firstLine)
    {
        var dispatcher = new LineDispatcher(file);
        var output = new List<AuditLogRecord>();
        var shift = firstLine - 1;
        long handled = 0;
        var broken = false;
        using var tap = new LineTapStream(stream);
        using (var reader = new JsonLinesReader(tap, file, leaveOpen: true))
        using (var records = reader.ReadRecords().GetEnumerator())
        {
            while (TryMoveNext(records, ref broken))
            {
                var record = records.Current;
                handled = record.Event?.Line ?? record.Error?.Line ?? handled;
                if (record.Error is { } error && IsWorthAnotherLook(error.Code) && tap.GetLine(handled) is { IsEmpty: false } raw)
                {
                    dispatcher.Dispatch(raw, handled, error, output);
                }
                else
                {
                    tap.Release(handled);
                    dispatcher.Add(record, output);
                }

                foreach (var r in output)
                {
                    yield return Shift(r, shift);
                }

                output.Clear();
            }
        }

        dispatcher.Flush(output);
        foreach (var r in output)
        {
            yield return Shift(r, shift);
        }

        if (broken)
        {
            // The event parser threw on the line after the last one handled; that reader cannot go on,
            // so the rest is read line by line, where the same line becomes a diagnostic.
            using var rest = tap.RemainderFrom(handled + 1);
            foreach (var r in LineFormatReader.Read(rest, file, firstLine + handled))
            {
                yield return r;
            }
        }
    }

    private static bool TryMoveNext(IEnumerator<AuditLogRecord> records, ref bool broken)
    {
        try
        {
            return records.MoveNext();
        }
        catch (InvalidOperationException)
        {
            // System.Text.Json's complaint about an escaped string that is not valid UTF-16 (e.g. "\ud800").
            broken = true;
            return false;
        }
    }

    /// <summary>Whether a line the event parser rejected with <paramref name="code"/> may be another shape worth reading again.</summary>
    internal static bool IsWorthAnotherLook(string code) =>
        code is DiagnosticCodes.InvalidJson or DiagnosticCodes.NotAnAuditEvent or DiagnosticCodes.InvalidEventField;

    // For text that does not start on line 1 (ReadText): JsonLinesReader always counts from 1.
    private static AuditLogRecord Shift(AuditLogRecord record, long shift)
    {
        if (shift == 0)
        {
            return record;
        }

        if (record.Event is { } ev)
        {
            ev.Line += shift;
            return record;
        }

        return record with { Error = record.Error! with { Line = record.Error.Line + shift } };
    }
}
