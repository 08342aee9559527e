using System.Buffers;
using System.Text.Json;
using KubeAudit.Core.Diagnostics;

namespace KubeAudit.Core.Events.Formats;

/// <summary>
/// Maps a Cloud Logging LogEntry of a GKE cluster (<c>protoPayload</c> of type
/// <c>type.googleapis.com/google.cloud.audit.AuditLog</c>, stated or not, <c>serviceName</c> <c>k8s.io</c>)
/// onto an <see cref="AuditEvent"/>, field for field as Falco's k8saudit-gke plugin does (see
/// about_KubeAudit). The event's JSON is the original entry. GKE does not carry the user's groups,
/// impersonation, the URL query or the stage time, so those stay empty; the response code is converted
/// back from the gRPC code GKE writes, which is approximate (several HTTP codes share one).
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
                    fields.HasPayload = reader.TokenType == JsonTokenType.StartObject;
                    ReadPayload(ref reader, entry, fields);
                }
                else if (reader.ValueTextEquals("jsonPayload"u8) || reader.ValueTextEquals("textPayload"u8))
                {
                    fields.OtherPayload ??= reader.GetString();
                    reader.Read();
                    reader.Skip();
                }
                else if (reader.ValueTextEquals("insertId"u8))
                {
                    fields.InsertId = ReadString(ref reader);
                }
                else if (reader.ValueTextEquals("logName"u8))
                {
                    fields.LogName = ReadString(ref reader);
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
            return Error(DiagnosticCodes.InvalidJson, "The line is not valid JSON: " + PrintableText.Of(ex.Message), file, line, column, entry);
        }
        catch (InvalidOperationException ex)
        {
            return new AuditLogRecord(null, SafeEventParser.NotText(ex, file, line, entry));
        }

        if (NotAKubernetesCall(fields) is { } why)
        {
            return Error(DiagnosticCodes.NotAnAuditEvent, "The input is not an audit event: " + PrintableText.Of(why) + ".", file, line, column, entry);
        }

        var ev = new AuditEvent { File = file, Line = line };
        ev.AuditId = fields.InsertId;
        ev.Stage = "ResponseComplete"; // Cloud Logging keeps one entry per request, written when it completed
        ev.Verb = fields.MethodName is { } method ? method[(method.LastIndexOf('.') + 1)..] : null;
        ev.User = new UserInfo { Username = fields.Principal };
        ev.SourceIPs = fields.CallerIp is { Length: > 0 } ip ? [ip] : [];
        ev.UserAgent = fields.UserAgent;
        ev.RequestObject = fields.Request;
        ev.ResponseObject = fields.Response;
        ev.Level = fields.Response is not null ? "RequestResponse" : fields.Request is not null ? "Request" : "Metadata";
        if (fields.Labels is { } labels)
        {
            ev.Annotations = labels;
        }

        // google.rpc.Status: code 0 (OK) is left out of the JSON, and so is an OK status altogether.
        ev.ResponseStatus = new ResponseStatus { Code = HttpCodeOf(fields.StatusCode), Message = fields.StatusMessage };

        if (fields.Timestamp is { } ts && TimestampParser.TryParse(ts, out var when))
        {
            ev.RequestReceivedTimestamp = when;
        }

        if (fields.ResourceName is { } name && name.StartsWith('/'))
        {
            ev.RequestUri = name; // a non-resource URL such as /healthz
        }
        else
        {
            ev.ObjectRef = (fields.ResourceName is { } resourceName ? ObjectRefOf(resourceName) : null)
                ?? (fields.MethodName is { } m ? ObjectRefOfMethod(m) : null);
            ev.RequestUri = ev.ObjectRef is { } obj ? RequestUriOf(obj) : null;
        }

        ev.SetJson(entry);
        return new AuditLogRecord(ev, null);
    }

    // Why the entry is not a Kubernetes API request, or null when it is one.
    private static string? NotAKubernetesCall(Fields fields)
    {
        if (!fields.HasPayload)
        {
            var payload = fields.OtherPayload is { } p ? $"a {p}" : "no protoPayload";
            return $"a Cloud Logging entry{LogOf(fields)} with {payload}, not a Cloud Audit Log entry";
        }

        if (fields.Type is { } type && type != AuditLogType)
        {
            return $"a Cloud Logging entry{LogOf(fields)} whose protoPayload is of type '{type}', not a Cloud Audit Log";
        }

        if (fields.ServiceName != "k8s.io" && fields.MethodName?.StartsWith("io.k8s.", StringComparison.Ordinal) != true)
        {
            var what = fields.ServiceName == "container.googleapis.com" ? "a GKE cluster operation" : "a Cloud Audit Log entry";
            return $"{what} of service '{fields.ServiceName}' (method '{fields.MethodName}'), not a Kubernetes API call (service k8s.io)";
        }

        return null;
    }

    private static string LogOf(Fields fields) => fields.LogName is { } log ? $" of log '{log[(log.LastIndexOf('/') + 1)..]}'" : string.Empty;

    /// <summary>
    /// The resource from a method name alone: <c>io.k8s.core.v1.pods.exec.create</c> → core group, v1,
    /// pods, exec. Only the core group is named for sure: GKE shortens and reverses other groups
    /// (<c>io.k8s.authorization.rbac.v1</c>), so those stay unknown.
    /// </summary>
    internal static ObjectReference? ObjectRefOfMethod(string methodName)
    {
        if (!methodName.StartsWith("io.k8s.", StringComparison.Ordinal))
        {
            return null;
        }

        var parts = methodName["io.k8s.".Length..].Split('.');
        var version = Array.FindIndex(parts, IsVersion);
        if (version < 1 || parts.Length - version < 3)
        {
            return null;
        }

        var group = string.Join('.', parts[..version]);
        var rest = parts[(version + 1)..^1]; // resource[.subresource], without the verb
        return new ObjectReference
        {
            ApiGroup = group == "core" ? string.Empty : null,
            ApiVersion = parts[version],
            Resource = rest[0],
            Subresource = rest.Length > 1 ? string.Join('/', rest[1..]) : null,
        };
    }

    /// <summary>The API path the request went to, rebuilt from the object: <c>/api/v1/namespaces/ns/pods/p/exec</c>.</summary>
    internal static string? RequestUriOf(ObjectReference obj)
    {
        if (obj.ApiGroup is null || obj.Resource is null)
        {
            return null;
        }

        var uri = new System.Text.StringBuilder(obj.ApiGroup.Length == 0 ? "/api/" : $"/apis/{obj.ApiGroup}/").Append(obj.ApiVersion);
        var isNamespace = obj.Resource == "namespaces";
        if (obj.Namespace is { } ns && !isNamespace)
        {
            uri.Append("/namespaces/").Append(ns);
        }

        uri.Append('/').Append(obj.Resource);
        if ((obj.Name ?? (isNamespace ? obj.Namespace : null)) is { } name)
        {
            uri.Append('/').Append(name);
        }

        if (obj.Subresource is { } sub)
        {
            uri.Append('/').Append(sub);
        }

        return uri.ToString();
    }

    private static bool IsVersion(string s) =>
        s.Length > 1 && s[0] == 'v' && char.IsAsciiDigit(s[1]) && s.AsSpan(1).IndexOfAnyExcept(s_versionChars) < 0;

    private static readonly SearchValues<char> s_versionChars = SearchValues.Create("0123456789alphbet");

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
                ReadObject(ref reader, (ref Utf8JsonReader r) =>
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
        public bool HasPayload;
        public string? OtherPayload;
        public string? InsertId;
        public string? LogName;
        public int StatusCode;
        public string? StatusMessage;
        public RawJson? Request;
        public RawJson? Response;
        public string? Timestamp;
        public Dictionary<string, string>? Labels;
    }
}
