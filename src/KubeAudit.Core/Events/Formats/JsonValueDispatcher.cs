using System.Text.Json;
using KubeAudit.Core.Diagnostics;

namespace KubeAudit.Core.Events.Formats;

/// <summary>
/// Turns one JSON value held in memory (a line, or a top-level value of a document) into records:
/// a plain event, or each event inside an array, EventList, record batch, string wrapper or LogEntry.
/// Every event gets a copy of its own bytes, so it does not pin the whole input.
/// </summary>
internal sealed class JsonValueDispatcher
{
    private static readonly JsonReaderOptions s_options = new() { MaxDepth = 512 };

    private readonly AuditEventParser _parser;
    private readonly string? _file;

    public JsonValueDispatcher(AuditEventParser parser, string? file)
    {
        _parser = parser;
        _file = file;
    }

    /// <summary>
    /// Reads the value at <c>buffer[start..end]</c>. <paramref name="eventError"/> is the event parser's
    /// verdict when the caller already tried the value as a plain event; it is reported if the value
    /// turns out to be no wrapper either.
    /// </summary>
    public void Dispatch(ReadOnlyMemory<byte> buffer, int start, int end, LineCounter lines, Diagnostic? eventError, List<AuditLogRecord> output) =>
        Dispatch(buffer, start, end, lines, eventError, output, depth: 0);

    /// <summary>Parses <c>buffer[start..end]</c> as one event, with the error located in the buffer.</summary>
    public AuditLogRecord ParseEvent(ReadOnlyMemory<byte> buffer, int start, int end, LineCounter lines)
    {
        var line = lines.LineAt(start);
        var column = lines.ColumnAt(start);
        var ev = SafeEventParser.Parse(_parser, buffer[start..end].ToArray(), _file, line, out var error);
        if (error is not null && error.Line == line && column > 1)
        {
            error = error with { Column = error.Column + column - 1 };
        }

        return new AuditLogRecord(ev, error);
    }

    private void Dispatch(ReadOnlyMemory<byte> buffer, int start, int end, LineCounter lines, Diagnostic? eventError, List<AuditLogRecord> output, int depth)
    {
        JsonShape shape;
        try
        {
            shape = JsonShape.Of(buffer.Span[start..end]);
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException)
        {
            output.Add(eventError is not null ? new AuditLogRecord(null, eventError) : ParseEvent(buffer, start, end, lines));
            return;
        }

        switch (shape.Kind)
        {
            case JsonShapeKind.Array when depth == 0:
                ForEachElement(buffer, start, end, lines, output, depth, asEvents: false);
                break;
            case JsonShapeKind.EventList:
                // Items are events; they normally carry no kind/apiVersion of their own (spec §1.8).
                ForEachElement(buffer, start + shape.ArrayStart, start + shape.ArrayEnd, lines, output, depth, asEvents: true);
                break;
            case JsonShapeKind.RecordBatch when depth <= 1:
                ForEachElement(buffer, start + shape.ArrayStart, start + shape.ArrayEnd, lines, output, depth, asEvents: false);
                break;
            case JsonShapeKind.EmbeddedString:
                output.Add(ReadEmbedded(buffer, start, end, shape, lines));
                break;
            case JsonShapeKind.LogEntry:
                output.Add(GkeLogEntryReader.Read(buffer[start..end].ToArray(), _file, lines.LineAt(start), lines.ColumnAt(start)));
                break;
            default:
                output.Add(eventError is not null ? new AuditLogRecord(null, eventError) : ParseEvent(buffer, start, end, lines));
                break;
        }
    }

    private void ForEachElement(ReadOnlyMemory<byte> buffer, int arrayStart, int arrayEnd, LineCounter lines, List<AuditLogRecord> output, int depth, bool asEvents)
    {
        var reader = new Utf8JsonReader(buffer.Span[arrayStart..arrayEnd], s_options);
        reader.Read(); // [
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            var elementStart = arrayStart + (int)reader.TokenStartIndex;
            reader.Skip();
            var elementEnd = arrayStart + (int)reader.BytesConsumed;
            if (asEvents)
            {
                output.Add(ParseEvent(buffer, elementStart, elementEnd, lines));
            }
            else
            {
                Dispatch(buffer, elementStart, elementEnd, lines, null, output, depth + 1);
            }
        }
    }

    // properties.log (Azure), log (container runtime) or message (CloudWatch): the event JSON as a string.
    private AuditLogRecord ReadEmbedded(ReadOnlyMemory<byte> buffer, int start, int end, JsonShape shape, LineCounter lines)
    {
        var line = lines.LineAt(start);
        var column = lines.ColumnAt(start);
        var where = shape.StringPath == "message" ? "the CloudWatch message" : $"the {shape.StringPath} string";
        var origin = shape.LogStream is not null ? $" (log stream '{shape.LogStream}')" : string.Empty;

        if (shape.Category is { } category && !category.StartsWith("kube-audit", StringComparison.OrdinalIgnoreCase))
        {
            return NotAnEvent($"an Azure diagnostic record of category '{category}' holds no audit event", line, column, buffer.Span[start..end]);
        }

        var reader = new Utf8JsonReader(buffer.Span[(start + shape.StringStart)..end], s_options);
        reader.Read();
        var bytes = new byte[reader.ValueSpan.Length];
        int length;
        try
        {
            length = reader.CopyString(bytes);
        }
        catch (InvalidOperationException ex)
        {
            return new AuditLogRecord(null, SafeEventParser.NotText(ex, _file, line, buffer.Span[start..end]));
        }

        var text = bytes.AsMemory(0, length);
        var trimmedStart = length - text.Span.TrimStart(" \t\r\n"u8).Length;
        var trimmedLength = text.Span.Trim(" \t\r\n"u8).Length;
        var json = text.Slice(trimmedStart, trimmedLength);

        if (TruncatedEvents.IsTruncated(json.Span))
        {
            return new AuditLogRecord(null, TruncatedEvents.Diagnose(json.Span, where + origin, _file, line, column));
        }

        if (json.IsEmpty || json.Span[0] != (byte)'{')
        {
            return NotAnEvent($"{where}{origin} is not event JSON", line, column, json.Span);
        }

        var ev = SafeEventParser.Parse(_parser, json, _file, line, out var error);
        if (error is not null)
        {
            error = error with { Message = $"In {where}{origin}: {error.Message}", Line = line, Column = column };
        }

        return new AuditLogRecord(ev, error);
    }

    private AuditLogRecord NotAnEvent(string why, long line, long column, ReadOnlySpan<byte> snippet) =>
        new(null, new Diagnostic(
            DiagnosticCodes.NotAnAuditEvent,
            DiagnosticSeverity.Error,
            "The input is not an audit event: " + why + ".",
            _file,
            line,
            column,
            AuditEventParser.Snippet(snippet)));
}
