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

    private void Dispatch(ReadOnlyMemory<byte> buffer, int start, int end, LineCounter lines, Diagnostic? eventError, List<AuditLogRecord> output, int depth, string? batchKey = null)
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
                ForEachElement(buffer, start + shape.ArrayStart, start + shape.ArrayEnd, lines, output, depth, asEvents: false, shape.BatchKey);
                break;
            case JsonShapeKind.EmbeddedString:
                ReadEmbedded(buffer, start, end, shape, lines, batchKey, depth, output);
                break;
            case JsonShapeKind.EmbeddedObject:
                ReadEmbeddedObject(buffer, start, shape, lines, depth, output);
                break;
            case JsonShapeKind.OtlpLogs:
                ReadOtlp(buffer, start, shape, lines, depth, output);
                break;
            case JsonShapeKind.LogEntry:
                output.Add(GkeLogEntryReader.Read(buffer[start..end].ToArray(), _file, lines.LineAt(start), lines.ColumnAt(start)));
                break;
            default:
                output.Add(eventError is not null ? new AuditLogRecord(null, eventError) : ParseEvent(buffer, start, end, lines));
                break;
        }
    }

    private void ForEachElement(ReadOnlyMemory<byte> buffer, int arrayStart, int arrayEnd, LineCounter lines, List<AuditLogRecord> output, int depth, bool asEvents, string? batchKey = null)
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
                Dispatch(buffer, elementStart, elementEnd, lines, null, output, depth + 1, batchKey);
            }
        }
    }

    // properties.log (Azure), log (container runtime), message (CloudWatch or any collector), textPayload
    // (Cloud Logging): the event JSON, or another producer's record, as a string.
    private void ReadEmbedded(ReadOnlyMemory<byte> buffer, int start, int end, JsonShape shape, LineCounter lines, string? batchKey, int depth, List<AuditLogRecord> output)
    {
        var line = lines.LineAt(start);
        var column = lines.ColumnAt(start);
        var cloudWatch = shape.StringPath == "message" && (shape.LogStream is not null || batchKey is "logEvents" or "events");
        var where = cloudWatch ? "the CloudWatch message" : $"the {shape.StringPath} string";
        var origin = shape.LogStream is not null ? $" (log stream '{PrintableText.Of(shape.LogStream)}')" : string.Empty;

        if (NotAuditCategory(shape) is { } why)
        {
            output.Add(NotAnEvent(why, line, column, buffer.Span[start..end]));
            return;
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
            output.Add(new AuditLogRecord(null, SafeEventParser.NotText(ex, _file, line, buffer.Span[start..end])));
            return;
        }

        ReadInner(bytes.AsMemory(0, length), where + origin, line, column, depth, output);
    }

    // The event as a JSON object: properties.log (Azure, when the collector parsed it) or a Cloud Logging jsonPayload.
    private void ReadEmbeddedObject(ReadOnlyMemory<byte> buffer, int start, JsonShape shape, LineCounter lines, int depth, List<AuditLogRecord> output)
    {
        var line = lines.LineAt(start);
        var column = lines.ColumnAt(start);
        if (NotAuditCategory(shape) is { } why)
        {
            output.Add(NotAnEvent(why, line, column, buffer.Span[start..(start + shape.ArrayEnd)]));
            return;
        }

        ReadInner(buffer[(start + shape.ArrayStart)..(start + shape.ArrayEnd)].ToArray(), $"the {shape.StringPath} object", line, column, depth, output);
    }

    // Each log record of an OTLP export, located at the record's own line.
    private void ReadOtlp(ReadOnlyMemory<byte> buffer, int start, JsonShape shape, LineCounter lines, int depth, List<AuditLogRecord> output)
    {
        List<OtlpLogs.Body> bodies;
        try
        {
            bodies = OtlpLogs.Bodies(buffer, start + shape.ArrayStart, start + shape.ArrayEnd);
        }
        catch (InvalidOperationException ex)
        {
            output.Add(new AuditLogRecord(null, SafeEventParser.NotText(ex, _file, lines.LineAt(start), buffer.Span[start..(start + shape.ArrayEnd)])));
            return;
        }

        if (bodies.Count == 0)
        {
            output.Add(NotAnEvent("an OTLP logs export with no log records", lines.LineAt(start), lines.ColumnAt(start), buffer.Span[start..(start + shape.ArrayEnd)]));
        }

        foreach (var body in bodies)
        {
            var line = lines.LineAt(body.RecordStart);
            var column = lines.ColumnAt(body.RecordStart);
            if (body.Problem is { } problem)
            {
                output.Add(NotAnEvent(problem, line, column, buffer.Span[body.RecordStart..Math.Min(body.RecordStart + 200, buffer.Length)]));
            }
            else
            {
                ReadInner(body.Json, "the body of an OTLP log record", line, column, depth, output);
            }
        }
    }

    private static string? NotAuditCategory(JsonShape shape) =>
        shape.Category is { } category && !category.StartsWith("kube-audit", StringComparison.OrdinalIgnoreCase)
            ? $"an Azure diagnostic record of category '{category}' holds no audit event"
            : null;

    // What a wrapper held: an event, or another producer's record (a GKE entry in a collector's message).
    // Everything found is placed at the wrapper's line; errors say where they were found.
    private void ReadInner(ReadOnlyMemory<byte> text, string where, long line, long column, int depth, List<AuditLogRecord> output)
    {
        var trimmedStart = text.Length - text.Span.TrimStart(" \t\r\n"u8).Length;
        var json = text.Slice(trimmedStart, text.Span.Trim(" \t\r\n"u8).Length);

        if (TruncatedEvents.IsTruncated(json.Span))
        {
            output.Add(new AuditLogRecord(null, TruncatedEvents.Diagnose(json.Span, where, _file, line, column)));
            return;
        }

        if (json.IsEmpty || json.Span[0] != (byte)'{')
        {
            output.Add(NotAnEvent($"{where} is not event JSON", line, column, json.Span));
            return;
        }

        var ev = SafeEventParser.Parse(_parser, json, _file, line, out var error);
        if (ev is not null)
        {
            output.Add(new AuditLogRecord(ev, null));
            return;
        }

        if (error!.Code == DiagnosticCodes.NotAnAuditEvent && depth < MaxNesting && InnerShape(json.Span) is { } shape)
        {
            var label = $"{Describe(shape)} inside {where}";
            var inner = new List<AuditLogRecord>();
            Dispatch(json, 0, json.Length, new LineCounter(json, line), null, inner, depth + 1);
            foreach (var record in inner)
            {
                if (record.Event is { } found)
                {
                    found.Line = line;
                    output.Add(record);
                }
                else
                {
                    output.Add(record with { Error = record.Error! with { Message = Within(label, record.Error.Message), Line = line, Column = column } });
                }
            }

            return;
        }

        output.Add(new AuditLogRecord(null, error with { Message = Within(where, error.Message), Line = line, Column = column }));
    }

    private const int MaxNesting = 4;

    private static JsonShape? InnerShape(ReadOnlySpan<byte> json)
    {
        try
        {
            var shape = JsonShape.Of(json);
            return shape.Kind is JsonShapeKind.Plain or JsonShapeKind.Array ? null : shape;
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException)
        {
            return null;
        }
    }

    // How an error names what held it: "In a GKE entry inside the message string: ...".
    private static string Within(string where, string message) =>
        message.StartsWith("In ", StringComparison.Ordinal) ? $"In {where}, {message[3..]}" : $"In {where}: {message}";

    /// <summary>What a wrapper is, in words, for errors about what it held.</summary>
    internal static string Describe(JsonShape shape) => shape.Kind switch
    {
        JsonShapeKind.LogEntry => "a GKE entry",
        JsonShapeKind.OtlpLogs => "an OTLP logs export",
        JsonShapeKind.EventList => "an EventList",
        JsonShapeKind.RecordBatch => shape.BatchKey == "records" ? "a batch of Azure diagnostic records" : "a batch of CloudWatch log events",
        JsonShapeKind.EmbeddedString or JsonShapeKind.EmbeddedObject => shape.StringPath switch
        {
            "properties.log" => "an Azure diagnostic record",
            "jsonPayload" or "textPayload" => "a Cloud Logging entry",
            "log" => "a container log record",
            _ => shape.LogStream is not null ? "a CloudWatch log event" : "a collector's record",
        },
        _ => "a JSON value",
    };

    private AuditLogRecord NotAnEvent(string why, long line, long column, ReadOnlySpan<byte> snippet) =>
        new(null, new Diagnostic(
            DiagnosticCodes.NotAnAuditEvent,
            DiagnosticSeverity.Error,
            "The input is not an audit event: " + PrintableText.Of(why) + ".",
            _file,
            line,
            column,
            AuditEventParser.Snippet(snippet)));
}
