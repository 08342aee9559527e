using KubeAudit.Core.Diagnostics;

namespace KubeAudit.Core.Events.Formats;

/// <summary>
/// Reads one line of a line-based input, whatever it holds: an event, a wrapped event (CloudWatch,
/// Azure, Cloud Logging, an EventList or array on one line), <c>&lt;timestamp&gt; &lt;JSON&gt;</c>, or a
/// legacy text line. Detection is per line, so exports can be mixed. Legacy basic-audit request and
/// response lines are paired here, which is why the dispatcher keeps state and has to be flushed.
/// </summary>
internal sealed class LineDispatcher
{
    private readonly AuditEventParser _parser = new();
    private readonly JsonValueDispatcher _json;
    private readonly LegacyEventAssembler _assembler;
    private readonly List<AuditLogRecord> _scratch = [];
    private readonly string? _file;

    public LineDispatcher(string? file)
    {
        _file = file;
        _json = new JsonValueDispatcher(_parser, file);
        _assembler = new LegacyEventAssembler(BuildLegacy, file);
    }

    /// <summary>Passes on a record read elsewhere, keeping it in order behind any waiting legacy request.</summary>
    public void Add(AuditLogRecord record, List<AuditLogRecord> output) => _assembler.Add(record, output);

    /// <summary>Releases everything still held (call at the end of the input).</summary>
    public void Flush(List<AuditLogRecord> output) => _assembler.Flush(output);

    /// <summary>
    /// Reads <paramref name="line"/> (without its newline; the bytes are only borrowed).
    /// <paramref name="eventError"/> is what the event parser said when the caller already tried the line as an event.
    /// </summary>
    public void Dispatch(ReadOnlyMemory<byte> line, long lineNumber, Diagnostic? eventError, List<AuditLogRecord> output)
    {
        var span = line.Span;
        var start = span.StartsWith("\uFEFF"u8) ? 3 : 0;
        while (start < span.Length && span[start] is (byte)' ' or (byte)'\t')
        {
            start++;
        }

        var end = span.Length;
        while (end > start && span[end - 1] is (byte)' ' or (byte)'\t' or (byte)'\r')
        {
            end--;
        }

        if (start == end)
        {
            return;
        }

        var text = span[start..end];
        var lines = new LineCounter(line, lineNumber);
        if (text[0] is (byte)'{' or (byte)'[')
        {
            DispatchJson(line, start, end, lines, eventError, output);
        }
        else if (LegacyLineParser.LooksLegacy(text))
        {
            DispatchLegacy(text, lineNumber, start, output);
        }
        else if (TimestampPrefix.TryMatch(text, out var jsonStart))
        {
            DispatchJson(line, start + jsonStart, end, lines, null, output);
        }
        else if (TruncatedEvents.IsTruncated(text) && text.IndexOf((byte)'{') >= 0)
        {
            _assembler.Add(new AuditLogRecord(null, TruncatedEvents.Diagnose(text, "the line", _file, lineNumber, start + 1)), output);
        }
        else
        {
            _assembler.Add(eventError is not null ? new AuditLogRecord(null, eventError) : _json.ParseEvent(line, start, end, lines), output);
        }
    }

    private void DispatchJson(ReadOnlyMemory<byte> line, int start, int end, LineCounter lines, Diagnostic? eventError, List<AuditLogRecord> output)
    {
        // A plain event is by far the most common line: try it first.
        if (eventError is null && line.Span[start] == (byte)'{')
        {
            var record = _json.ParseEvent(line, start, end, lines);
            if (record.Event is not null)
            {
                _assembler.Add(record, output);
                return;
            }

            eventError = record.Error;
        }

        if (eventError?.Code == DiagnosticCodes.InvalidJson)
        {
            var text = line.Span[start..end];
            _assembler.Add(
                new AuditLogRecord(null, TruncatedEvents.IsTruncated(text) ? TruncatedEvents.Diagnose(text, "the line", _file, lines.LineAt(start), start + 1) : eventError),
                output);
            return;
        }

        _json.Dispatch(line, start, end, lines, eventError, _scratch);
        foreach (var record in _scratch)
        {
            _assembler.Add(record, output);
        }

        _scratch.Clear();
    }

    private void DispatchLegacy(ReadOnlySpan<byte> text, long lineNumber, int column, List<AuditLogRecord> output)
    {
        var legacy = LegacyLineParser.TryParse(text, lineNumber, out var error, out var at);
        if (legacy is null)
        {
            _assembler.Add(new AuditLogRecord(null, InvalidLegacy(error!, lineNumber, column + at, text)), output);
            return;
        }

        _assembler.AddLegacy(legacy, output);
    }

    private AuditLogRecord BuildLegacy(LegacyLine request, LegacyLine? response)
    {
        var json = LegacyEventWriter.Write(request, response, out var error);
        if (json is null)
        {
            return new AuditLogRecord(null, InvalidLegacy(error!, request.Line, 1, default));
        }

        var ev = SafeEventParser.Parse(_parser, json, _file, request.Line, out var parseError);
        return new AuditLogRecord(ev, parseError);
    }

    private Diagnostic InvalidLegacy(string why, long line, long column, ReadOnlySpan<byte> text) => new(
        DiagnosticCodes.InvalidLegacyLine,
        DiagnosticSeverity.Error,
        "The legacy audit line cannot be read: " + why + ".",
        _file,
        line,
        column,
        text.IsEmpty ? null : AuditEventParser.Snippet(text));
}
