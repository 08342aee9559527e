using System.Buffers;
using System.Text.Json;

namespace KubeAudit.Core.Events.Formats;

/// <summary>
/// OpenTelemetry OTLP/JSON logs (<c>{"resourceLogs":[{"scopeLogs":[{"logRecords":[...]}]}]}</c>), as the
/// collector's file exporter writes them one request per line and its OTLP/HTTP exporter sends them. Each
/// log record's <c>body</c> holds the event: as its JSON text (<c>stringValue</c>), or parsed into an
/// OTLP map (<c>kvlistValue</c>), which is turned back into JSON here.
/// </summary>
internal static class OtlpLogs
{
    private static readonly JsonReaderOptions s_options = new() { MaxDepth = 512 };

    /// <summary>What one log record's body gave: the event's JSON, or why there is none. Offsets are in the buffer.</summary>
    public readonly record struct Body(int RecordStart, ReadOnlyMemory<byte> Json, string? Problem);

    /// <summary>The bodies of every log record in the <c>resourceLogs</c> array at <c>buffer[start..end]</c>, in order.</summary>
    public static List<Body> Bodies(ReadOnlyMemory<byte> buffer, int start, int end)
    {
        var bodies = new List<Body>();
        var span = buffer.Span[start..end];
        var reader = new Utf8JsonReader(span, s_options);
        reader.Read(); // [ of resourceLogs
        ForEachObject(ref reader, (ref Utf8JsonReader r) =>
        {
            if (r.ValueTextEquals("scopeLogs"u8) || r.ValueTextEquals("instrumentationLibraryLogs"u8))
            {
                r.Read();
                ForEachObject(ref r, (ref Utf8JsonReader s) =>
                {
                    if (!s.ValueTextEquals("logRecords"u8))
                    {
                        return false;
                    }

                    s.Read();
                    ForEachRecord(ref s, buffer, start, bodies);
                    return true;
                });
                return true;
            }

            return false;
        });
        return bodies;
    }

    private delegate bool PropertyHandler(ref Utf8JsonReader reader);

    // reader is on a [ of objects (anything else is skipped); handle reads the properties it knows.
    private static void ForEachObject(ref Utf8JsonReader reader, PropertyHandler handle)
    {
        if (reader.TokenType != JsonTokenType.StartArray)
        {
            reader.Skip();
            return;
        }

        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            if (reader.TokenType != JsonTokenType.StartObject)
            {
                reader.Skip();
                continue;
            }

            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                if (!handle(ref reader))
                {
                    reader.Read();
                    reader.Skip();
                }
            }
        }
    }

    private static void ForEachRecord(ref Utf8JsonReader reader, ReadOnlyMemory<byte> buffer, int start, List<Body> bodies)
    {
        if (reader.TokenType != JsonTokenType.StartArray)
        {
            reader.Skip();
            return;
        }

        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            var recordStart = start + (int)reader.TokenStartIndex;
            if (reader.TokenType != JsonTokenType.StartObject)
            {
                reader.Skip();
                bodies.Add(new Body(recordStart, default, "the OTLP log record is not a JSON object"));
                continue;
            }

            Body? body = null;
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var isBody = reader.ValueTextEquals("body"u8);
                reader.Read();
                var valueStart = start + (int)reader.TokenStartIndex;
                reader.Skip();
                if (isBody)
                {
                    var value = buffer[valueStart..(start + (int)reader.BytesConsumed)];
                    body = FromAnyValue(recordStart, value);
                }
            }

            bodies.Add(body ?? new Body(recordStart, default, "the OTLP log record has no body"));
        }
    }

    // An AnyValue holding the event: {"stringValue":"<event JSON>"} or {"kvlistValue":{"values":[...]}}.
    private static Body FromAnyValue(int recordStart, ReadOnlyMemory<byte> value)
    {
        using var doc = JsonDocument.Parse(value);
        var root = doc.RootElement;
        if (root.ValueKind == JsonValueKind.Object && root.TryGetProperty("stringValue", out var text) && text.ValueKind == JsonValueKind.String)
        {
            return new Body(recordStart, System.Text.Encoding.UTF8.GetBytes(text.GetString()!), null);
        }

        if (root.ValueKind == JsonValueKind.Object && root.TryGetProperty("kvlistValue", out var map))
        {
            var output = new ArrayBufferWriter<byte>();
            using (var writer = new Utf8JsonWriter(output))
            {
                WriteKvList(map, writer);
            }

            return new Body(recordStart, output.WrittenMemory, null);
        }

        var kind = root.ValueKind == JsonValueKind.Object ? string.Join(", ", root.EnumerateObject().Select(p => p.Name)) : root.ValueKind.ToString();
        return new Body(recordStart, default, $"the OTLP log record's body is {(kind.Length == 0 ? "empty" : kind)}, not the event's JSON (stringValue) or map (kvlistValue)");
    }

    private static void WriteKvList(JsonElement list, Utf8JsonWriter writer)
    {
        writer.WriteStartObject();
        if (list.ValueKind == JsonValueKind.Object && list.TryGetProperty("values", out var values) && values.ValueKind == JsonValueKind.Array)
        {
            foreach (var kv in values.EnumerateArray())
            {
                if (kv.ValueKind == JsonValueKind.Object && kv.TryGetProperty("key", out var key) && key.ValueKind == JsonValueKind.String)
                {
                    writer.WritePropertyName(key.GetString()!);
                    WriteAny(kv.TryGetProperty("value", out var v) ? v : default, writer);
                }
            }
        }

        writer.WriteEndObject();
    }

    // OTLP's AnyValue as plain JSON: 64-bit integers come as strings and go back to numbers.
    private static void WriteAny(JsonElement value, Utf8JsonWriter writer)
    {
        if (value.ValueKind != JsonValueKind.Object)
        {
            writer.WriteNullValue();
            return;
        }

        foreach (var p in value.EnumerateObject())
        {
            switch (p.Name)
            {
                case "stringValue" or "bytesValue":
                    writer.WriteStringValue(p.Value.ValueKind == JsonValueKind.String ? p.Value.GetString() : p.Value.GetRawText());
                    return;
                case "boolValue":
                    writer.WriteBooleanValue(p.Value.ValueKind == JsonValueKind.True);
                    return;
                case "intValue" or "doubleValue":
                    var number = p.Value.ValueKind == JsonValueKind.String ? p.Value.GetString()! : p.Value.GetRawText();
                    if (decimal.TryParse(number, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out _))
                    {
                        writer.WriteRawValue(number);
                    }
                    else
                    {
                        writer.WriteStringValue(number);
                    }

                    return;
                case "arrayValue":
                    writer.WriteStartArray();
                    if (p.Value.ValueKind == JsonValueKind.Object && p.Value.TryGetProperty("values", out var items) && items.ValueKind == JsonValueKind.Array)
                    {
                        foreach (var item in items.EnumerateArray())
                        {
                            WriteAny(item, writer);
                        }
                    }

                    writer.WriteEndArray();
                    return;
                case "kvlistValue":
                    WriteKvList(p.Value, writer);
                    return;
            }
        }

        writer.WriteNullValue();
    }
}
