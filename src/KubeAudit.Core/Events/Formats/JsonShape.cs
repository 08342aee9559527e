using System.Text.Json;

namespace KubeAudit.Core.Events.Formats;

/// <summary>What a JSON value holds, decided from its top-level keys.</summary>
internal enum JsonShapeKind
{
    /// <summary>An event, or an object that is neither an event nor a known wrapper: the event parser decides.</summary>
    Plain,

    /// <summary>A JSON array: each element is read on its own.</summary>
    Array,

    /// <summary><c>{"kind":"EventList","items":[...]}</c> (webhook batches, <c>kubectl get --raw</c> style).</summary>
    EventList,

    /// <summary>An array of wrapped records under <c>records</c> (Azure), <c>logEvents</c> (CloudWatch subscription) or <c>events</c> (<c>aws logs filter-log-events</c>).</summary>
    RecordBatch,

    /// <summary>The event JSON as a string: <c>properties.log</c> (Azure), <c>log</c> (container log line) or <c>message</c> (CloudWatch).</summary>
    EmbeddedString,

    /// <summary>A Cloud Logging LogEntry with a <c>protoPayload</c> (GKE).</summary>
    LogEntry,

    /// <summary>The event as a JSON object inside a wrapper: <c>properties.log</c> (Azure) or a Cloud Logging <c>jsonPayload</c>.</summary>
    EmbeddedObject,

    /// <summary>An OpenTelemetry OTLP/JSON logs export: <c>resourceLogs[].scopeLogs[].logRecords[]</c>.</summary>
    OtlpLogs,
}

/// <summary>
/// A shallow look at a JSON value: which wrapper it is and where the parts that matter are. Offsets are
/// relative to the value; <see cref="ArrayStart"/> and <see cref="ArrayEnd"/> bound the batch, item or
/// <c>resourceLogs</c> array, or the embedded object. Scanning stops at the first event field, so plain events cost little.
/// </summary>
internal readonly record struct JsonShape(
    JsonShapeKind Kind,
    int ArrayStart = 0,
    int ArrayEnd = 0,
    int StringStart = 0,
    string? StringPath = null,
    string? Category = null,
    string? LogStream = null,
    string? BatchKey = null)
{
    private static readonly JsonReaderOptions s_options = new() { MaxDepth = 512 };

    /// <summary>
    /// Classifies <paramref name="json"/>. Wrappers are checked to be well-formed JSON throughout; a plain
    /// object only as far as its first event field (the event parser checks the rest). Throws
    /// <see cref="JsonException"/> when malformed, <see cref="InvalidOperationException"/> for strings that are not valid UTF-16.
    /// </summary>
    public static JsonShape Of(ReadOnlySpan<byte> json)
    {
        var reader = new Utf8JsonReader(json, s_options);
        reader.Read();
        if (reader.TokenType == JsonTokenType.StartArray)
        {
            reader.Skip();
            EnsureEnd(ref reader);
            return new JsonShape(JsonShapeKind.Array);
        }

        if (reader.TokenType != JsonTokenType.StartObject)
        {
            return new JsonShape(JsonShapeKind.Plain);
        }

        string? kind = null, apiVersion = null, category = null, logStream = null, stringPath = null, batchKey = null, objectPath = null;
        int itemsStart = -1, itemsEnd = -1, batchStart = -1, batchEnd = -1, stringStart = -1, objectStart = -1, objectEnd = -1, otlpStart = -1, otlpEnd = -1;
        bool isLogEntry = false, hasLogName = false;
        var embeddedRank = 0; // properties.log > log > message when several are present
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("level"u8) || reader.ValueTextEquals("auditID"u8) || reader.ValueTextEquals("stage"u8)
                || reader.ValueTextEquals("verb"u8) || reader.ValueTextEquals("requestURI"u8))
            {
                return new JsonShape(JsonShapeKind.Plain);
            }

            if (reader.ValueTextEquals("kind"u8))
            {
                reader.Read();
                if (reader.TokenType == JsonTokenType.String)
                {
                    kind = reader.GetString();
                    if (kind == "Event")
                    {
                        return new JsonShape(JsonShapeKind.Plain);
                    }
                }
                else
                {
                    reader.Skip();
                }
            }
            else if (reader.ValueTextEquals("apiVersion"u8))
            {
                reader.Read();
                apiVersion = reader.TokenType == JsonTokenType.String ? reader.GetString() : null;
                reader.Skip();
            }
            else if (reader.ValueTextEquals("items"u8))
            {
                (itemsStart, itemsEnd) = ArrayRange(ref reader);
            }
            else if (reader.ValueTextEquals("records"u8) || reader.ValueTextEquals("logEvents"u8) || reader.ValueTextEquals("events"u8))
            {
                var key = reader.GetString();
                var range = ArrayRange(ref reader);
                if (range.Start >= 0 && batchStart < 0)
                {
                    (batchStart, batchEnd, batchKey) = (range.Start, range.End, key);
                }
            }
            else if (reader.ValueTextEquals("properties"u8))
            {
                reader.Read();
                if (reader.TokenType == JsonTokenType.StartObject)
                {
                    while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
                    {
                        var isLog = reader.ValueTextEquals("log"u8);
                        reader.Read();
                        if (isLog && reader.TokenType == JsonTokenType.String)
                        {
                            (stringStart, stringPath, embeddedRank) = ((int)reader.TokenStartIndex, "properties.log", 3);
                        }
                        else if (isLog && reader.TokenType == JsonTokenType.StartObject)
                        {
                            (objectStart, objectPath) = ((int)reader.TokenStartIndex, "properties.log");
                            reader.Skip();
                            objectEnd = (int)reader.BytesConsumed;
                        }
                        else
                        {
                            reader.Skip();
                        }
                    }
                }
                else
                {
                    reader.Skip();
                }
            }
            else if (reader.ValueTextEquals("log"u8) || reader.ValueTextEquals("message"u8))
            {
                var (path, rank) = reader.ValueTextEquals("log"u8) ? ("log", 2) : ("message", 1);
                reader.Read();
                if (reader.TokenType == JsonTokenType.String && rank > embeddedRank)
                {
                    (stringStart, stringPath, embeddedRank) = ((int)reader.TokenStartIndex, path, rank);
                }
                else
                {
                    reader.Skip();
                }
            }
            else if (reader.ValueTextEquals("jsonPayload"u8) || reader.ValueTextEquals("textPayload"u8))
            {
                // A Cloud Logging entry whose payload may be an audit event a log agent shipped as it is.
                var path = reader.GetString();
                reader.Read();
                if (reader.TokenType == JsonTokenType.StartObject && objectStart < 0)
                {
                    (objectStart, objectPath) = ((int)reader.TokenStartIndex, path);
                    reader.Skip();
                    objectEnd = (int)reader.BytesConsumed;
                }
                else if (reader.TokenType == JsonTokenType.String && embeddedRank < 3)
                {
                    (stringStart, stringPath, embeddedRank) = ((int)reader.TokenStartIndex, path, 3);
                }
                else
                {
                    reader.Skip();
                }
            }
            else if (reader.ValueTextEquals("resourceLogs"u8))
            {
                (otlpStart, otlpEnd) = ArrayRange(ref reader);
            }
            else if (reader.ValueTextEquals("logName"u8))
            {
                hasLogName = true;
                reader.Read();
                reader.Skip();
            }
            else if (reader.ValueTextEquals("protoPayload"u8))
            {
                reader.Read();
                isLogEntry = reader.TokenType == JsonTokenType.StartObject;
                reader.Skip();
            }
            else if (reader.ValueTextEquals("category"u8) || reader.ValueTextEquals("logStreamName"u8) || reader.ValueTextEquals("logStream"u8))
            {
                var isCategory = reader.ValueTextEquals("category"u8);
                reader.Read();
                if (reader.TokenType == JsonTokenType.String)
                {
                    if (isCategory)
                    {
                        category = reader.GetString();
                    }
                    else
                    {
                        logStream = reader.GetString();
                    }
                }
                else
                {
                    reader.Skip();
                }
            }
            else
            {
                reader.Read();
                reader.Skip();
            }
        }

        EnsureEnd(ref reader);

        // A core/v1 EventList (kubectl get --raw /api/v1/events) holds cluster events, not audit events.
        var auditGroup = apiVersion is null || apiVersion.StartsWith("audit.k8s.io/", StringComparison.Ordinal);
        if (itemsStart >= 0 && auditGroup && (kind is null || kind == "EventList"))
        {
            return new JsonShape(JsonShapeKind.EventList, itemsStart, itemsEnd);
        }

        if (kind is not null)
        {
            return new JsonShape(JsonShapeKind.Plain);
        }

        if (batchStart >= 0)
        {
            return new JsonShape(JsonShapeKind.RecordBatch, batchStart, batchEnd, Category: category, LogStream: logStream, BatchKey: batchKey);
        }

        if (isLogEntry)
        {
            return new JsonShape(JsonShapeKind.LogEntry);
        }

        if (otlpStart >= 0)
        {
            return new JsonShape(JsonShapeKind.OtlpLogs, otlpStart, otlpEnd);
        }

        if (objectStart >= 0 && (objectPath != "jsonPayload" || hasLogName))
        {
            return new JsonShape(JsonShapeKind.EmbeddedObject, objectStart, objectEnd, StringPath: objectPath, Category: category);
        }

        if (stringPath == "textPayload" && !hasLogName)
        {
            return new JsonShape(JsonShapeKind.Plain);
        }

        return stringStart >= 0
            ? new JsonShape(JsonShapeKind.EmbeddedString, StringStart: stringStart, StringPath: stringPath, Category: category, LogStream: logStream)
            : new JsonShape(JsonShapeKind.Plain);
    }

    // Wrappers are read item by item afterwards, so they must be whole: nothing may follow them.
    private static void EnsureEnd(ref Utf8JsonReader reader)
    {
        if (reader.Read())
        {
            throw new JsonException("unexpected content after the JSON value");
        }
    }

    // Moves over the value; returns its byte range when it is an array, (-1, -1) otherwise.
    private static (int Start, int End) ArrayRange(ref Utf8JsonReader reader)
    {
        reader.Read();
        if (reader.TokenType != JsonTokenType.StartArray)
        {
            reader.Skip();
            return (-1, -1);
        }

        var start = (int)reader.TokenStartIndex;
        reader.Skip();
        return (start, (int)reader.BytesConsumed);
    }
}
