using System.Text.Json;
using KubeAudit.Core.Diagnostics;

namespace KubeAudit.Core.Events.Formats;

/// <summary>
/// Maps a Cloud Logging LogEntry of a GKE cluster (<c>protoPayload</c> of type
/// <c>type.googleapis.com/google.cloud.audit.AuditLog</c>, <c>serviceName</c> <c>k8s.io</c>) onto an
/// <see cref="AuditEvent"/>. The event's JSON is the original entry. GKE's entry does not carry the
/// audit ID, level, stage, request URI or user groups, so those stay null; the response code is
/// converted back from the gRPC code GKE writes, which is approximate (several HTTP codes share one).
/// </summary>
internal static class GkeLogEntryReader
{
    private const string AuditLogType = "type.googleapis.com/google.cloud.audit.AuditLog";
    private static readonly JsonReaderOptions s_options = new() { MaxDepth = 512 };

    /// <summary>Reads <paramref name="entry"/> (which the event keeps as its JSON).</summary>
    public static AuditLogRecord Read(byte[] entry, string? file, long line, long column)
    {
        var fields = new Fields();
        try
        {
            var reader = new Utf8JsonReader(entry, s_options);
            reader.Read();
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                if (reader.ValueTextEquals("protoPayload"u8))
                {
                    reader.Read();
                    ReadPayload(ref reader, entry, fields);
                }
                else if (reader.ValueTextEquals("timestamp"u8))
                {
                    fields.Timestamp = ReadString(ref reader);
                }
                else if (reader.ValueTextEquals("labels"u8))
                {
                    reader.Read();
                    fields.Labels = ReadStringMap(ref reader);
                }
                else
                {
                    reader.Read();
                    reader.Skip();
                }
            }
        }
        catch (JsonException ex)
        {
            return Error(DiagnosticCodes.InvalidJson, "The line is not valid JSON: " + ex.Message, file, line, column, entry);
        }
        catch (InvalidOperationException ex)
        {
            return new AuditLogRecord(null, SafeEventParser.NotText(ex, file, line, entry));
        }

        if (fields.Type != AuditLogType)
        {
            return Error(DiagnosticCodes.NotAnAuditEvent, $"The input is not an audit event: the LogEntry's protoPayload is of type '{fields.Type}', not a Cloud Audit Log.", file, line, column, entry);
        }

        if (fields.ServiceName != "k8s.io" && fields.MethodName?.StartsWith("io.k8s.", StringComparison.Ordinal) != true)
        {
            return Error(DiagnosticCodes.NotAnAuditEvent, $"The input is not an audit event: a Cloud Audit Log entry of service '{fields.ServiceName}', not of the Kubernetes API server (k8s.io).", file, line, column, entry);
        }

        var ev = new AuditEvent { File = file, Line = line };
        ev.Verb = fields.MethodName is { } method ? method[(method.LastIndexOf('.') + 1)..] : null;
        ev.User = new UserInfo { Username = fields.Principal };
        ev.SourceIPs = fields.CallerIp is { Length: > 0 } ip ? [ip] : [];
        ev.UserAgent = fields.UserAgent;
        ev.RequestObject = fields.Request;
        ev.ResponseObject = fields.Response;
        if (fields.Labels is { } labels)
        {
            ev.Annotations = labels;
        }

        if (fields.HasStatus)
        {
            ev.ResponseStatus = new ResponseStatus { Code = HttpCodeOf(fields.StatusCode), Message = fields.StatusMessage };
        }

        if (fields.Timestamp is { } ts && TimestampParser.TryParse(ts, out var when))
        {
            ev.RequestReceivedTimestamp = when;
        }

        if (fields.ResourceName is { } name)
        {
            if (name.StartsWith('/'))
            {
                ev.RequestUri = name; // a non-resource URL such as /healthz
            }
            else
            {
                ev.ObjectRef = ObjectRefOf(name);
            }
        }

        ev.SetJson(entry);
        return new AuditLogRecord(ev, null);
    }

    /// <summary>
    /// <c>core/v1/namespaces/ns/pods/name/log</c> → group "", version v1, namespace ns, pods, name, log.
    /// Follows the API server's own request-info rules, including namespaces/{name}/status|finalize.
    /// </summary>
    internal static ObjectReference? ObjectRefOf(string resourceName)
    {
        var parts = resourceName.Split('/');
        if (parts.Length < 3)
        {
            return null;
        }

        var obj = new ObjectReference { ApiGroup = parts[0] == "core" ? string.Empty : parts[0], ApiVersion = parts[1] };
        var rest = parts.AsSpan(2);
        if (rest[0] == "namespaces" && rest.Length > 1)
        {
            obj.Namespace = rest[1];
            if (rest.Length > 2 && rest[2] is not ("status" or "finalize"))
            {
                rest = rest[2..];
            }
        }

        obj.Resource = rest[0];
        if (rest.Length > 1)
        {
            obj.Name = rest[1];
        }

        if (rest.Length > 2)
        {
            obj.Subresource = string.Join('/', rest[2..].ToArray());
        }

        return obj;
    }

    // google.rpc.Code back to the HTTP status the API server most likely sent.
    private static int HttpCodeOf(int grpc) => grpc switch
    {
        0 => 200,
        1 => 499,
        3 or 9 or 11 => 400,
        4 => 504,
        5 => 404,
        6 or 10 => 409,
        7 => 403,
        8 => 429,
        12 => 501,
        14 => 503,
        16 => 401,
        _ => 500,
    };

    private static void ReadPayload(ref Utf8JsonReader reader, byte[] entry, Fields fields)
    {
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            reader.Skip();
            return;
        }

        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("@type"u8))
            {
                fields.Type = ReadString(ref reader);
            }
            else if (reader.ValueTextEquals("serviceName"u8))
            {
                fields.ServiceName = ReadString(ref reader);
            }
            else if (reader.ValueTextEquals("methodName"u8))
            {
                fields.MethodName = ReadString(ref reader);
            }
            else if (reader.ValueTextEquals("resourceName"u8))
            {
                fields.ResourceName = ReadString(ref reader);
            }
            else if (reader.ValueTextEquals("authenticationInfo"u8))
            {
                ReadObject(ref reader, (ref Utf8JsonReader r) =>
                {
                    if (r.ValueTextEquals("principalEmail"u8))
                    {
                        fields.Principal = ReadString(ref r);
                        return true;
                    }

                    return false;
                });
            }
            else if (reader.ValueTextEquals("requestMetadata"u8))
            {
                ReadObject(ref reader, (ref Utf8JsonReader r) =>
                {
                    if (r.ValueTextEquals("callerIp"u8))
                    {
                        fields.CallerIp = ReadString(ref r);
                        return true;
                    }

                    if (r.ValueTextEquals("callerSuppliedUserAgent"u8))
                    {
                        fields.UserAgent = ReadString(ref r);
                        return true;
                    }

                    return false;
                });
            }
            else if (reader.ValueTextEquals("status"u8))
            {
                fields.HasStatus = ReadObject(ref reader, (ref Utf8JsonReader r) =>
                {
                    if (r.ValueTextEquals("code"u8))
                    {
                        r.Read();
                        if (r.TokenType == JsonTokenType.Number && r.TryGetInt32(out var code))
                        {
                            fields.StatusCode = code;
                        }

                        r.Skip();
                        return true;
                    }

                    if (r.ValueTextEquals("message"u8))
                    {
                        fields.StatusMessage = ReadString(ref r);
                        return true;
                    }

                    return false;
                });
            }
            else if (reader.ValueTextEquals("request"u8))
            {
                fields.Request = ReadRaw(ref reader, entry);
            }
            else if (reader.ValueTextEquals("response"u8))
            {
                fields.Response = ReadRaw(ref reader, entry);
            }
            else
            {
                reader.Read();
                reader.Skip();
            }
        }
    }

    private delegate bool PropertyHandler(ref Utf8JsonReader reader);

    // Walks an object's properties; the handler reads the ones it knows (returning true). False when not an object.
    private static bool ReadObject(ref Utf8JsonReader reader, PropertyHandler handle)
    {
        reader.Read();
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            reader.Skip();
            return false;
        }

        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (!handle(ref reader))
            {
                reader.Read();
                reader.Skip();
            }
        }

        return true;
    }

    // Lenient: a value of another type is skipped, not an error (the entry is not ours to validate).
    private static string? ReadString(ref Utf8JsonReader reader)
    {
        reader.Read();
        if (reader.TokenType == JsonTokenType.String)
        {
            return reader.GetString();
        }

        reader.Skip();
        return null;
    }

    private static Dictionary<string, string>? ReadStringMap(ref Utf8JsonReader reader)
    {
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            reader.Skip();
            return null;
        }

        var map = new Dictionary<string, string>(StringComparer.Ordinal);
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var key = reader.GetString()!;
            if (ReadString(ref reader) is { } value)
            {
                map[key] = value;
            }
        }

        return map;
    }

    private static RawJson? ReadRaw(ref Utf8JsonReader reader, byte[] entry)
    {
        reader.Read();
        if (reader.TokenType == JsonTokenType.Null)
        {
            return null;
        }

        var start = (int)reader.TokenStartIndex;
        reader.Skip();
        return new RawJson(entry.AsMemory(start, (int)reader.BytesConsumed - start));
    }

    private static AuditLogRecord Error(string code, string message, string? file, long line, long column, byte[] entry) =>
        new(null, new Diagnostic(code, DiagnosticSeverity.Error, message, file, line, column, AuditEventParser.Snippet(entry)));

    private sealed class Fields
    {
        public string? Type;
        public string? ServiceName;
        public string? MethodName;
        public string? ResourceName;
        public string? Principal;
        public string? CallerIp;
        public string? UserAgent;
        public bool HasStatus;
        public int StatusCode;
        public string? StatusMessage;
        public RawJson? Request;
        public RawJson? Response;
        public string? Timestamp;
        public Dictionary<string, string>? Labels;
    }
}
