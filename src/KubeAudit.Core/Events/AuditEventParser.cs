using System.Runtime.CompilerServices;
using System.Text.Json;
using KubeAudit.Core.Diagnostics;

namespace KubeAudit.Core.Events;

/// <summary>
/// Builds an <see cref="AuditEvent"/> from the UTF-8 JSON of one event (audit.k8s.io v1, v1beta1
/// or v1alpha1), straight from the bytes with <see cref="Utf8JsonReader"/>. Bodies stay raw slices
/// of the input. One instance per thread.
/// </summary>
public sealed class AuditEventParser
{
    private static readonly JsonReaderOptions s_options = new() { MaxDepth = 512 };
    private readonly Utf8StringCache _strings = new();

    /// <summary>
    /// Parses one event. <paramref name="json"/> must not change afterwards: the event keeps it.
    /// Returns null and sets <paramref name="error"/> when the input is not a usable event.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public AuditEvent? Parse(ReadOnlyMemory<byte> json, string? file, long line, out Diagnostic? error)
    {
        error = null;
        var reader = new Utf8JsonReader(json.Span, s_options);
        try
        {
            if (!reader.Read())
            {
                error = NotAnEvent("the input is empty", file, line, json);
                return null;
            }

            if (reader.TokenType != JsonTokenType.StartObject)
            {
                var found = Describe(reader.TokenType, json.Span[0]);
                reader.Skip();
                reader.Read(); // surfaces trailing garbage as InvalidJson before the shape complaint
                error = NotAnEvent("expected a JSON object, found " + found, file, line, json);
                return null;
            }

            var ev = new AuditEvent { File = file, Line = line };
            var fields = ReadEventBody(ref reader, ev, json);
            if (reader.Read())
            {
                // Utf8JsonReader throws on a second value; anything else here is a bug in our loop.
                throw new JsonException("unexpected content after the event");
            }

            if (ev.Kind is not null && ev.Kind != "Event")
            {
                error = NotAnEvent($"kind is \"{Formats.PrintableText.Of(ev.Kind)}\", not \"Event\"", file, line, json);
                return null;
            }

            if (ev.Kind is null && fields == 0)
            {
                error = NotAnEvent("no audit event field (level, auditID, stage, verb, requestURI) is present", file, line, json);
                return null;
            }

            ev.SetJson(json);
            return ev;
        }
        catch (InvalidOperationException ex) when (ex is not ObjectDisposedException)
        {
            // System.Text.Json throws this, not JsonException, for text it cannot transcode (a lone surrogate escape).
            error = new Diagnostic(
                DiagnosticCodes.InvalidJson,
                DiagnosticSeverity.Error,
                "The line is not valid JSON: " + Formats.PrintableText.Of(ex.Message),
                file,
                line,
                1,
                Snippet(json.Span));
            return null;
        }
        catch (JsonException ex)
        {
            error = new Diagnostic(
                DiagnosticCodes.InvalidJson,
                DiagnosticSeverity.Error,
                "The line is not valid JSON: " + Formats.PrintableText.Of(TrimJsonMessage(ex.Message)),
                file,
                line + (ex.LineNumber ?? 0),
                (ex.BytePositionInLine ?? 0) + 1,
                Snippet(json.Span));
            return null;
        }
        catch (EventFieldException ex)
        {
            error = new Diagnostic(
                DiagnosticCodes.InvalidEventField,
                DiagnosticSeverity.Error,
                "The event has an invalid field: " + Formats.PrintableText.Of(ex.Message),
                file,
                line,
                ex.BytePosition + 1,
                Snippet(json.Span));
            return null;
        }
    }

    // Returns how many event-identifying fields were seen (level, auditID, stage, verb, requestURI).
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private int ReadEventBody(ref Utf8JsonReader reader, AuditEvent ev, ReadOnlyMemory<byte> json)
    {
        var identifying = 0;
        DateTimeOffset? legacyTimestamp = null;
        DateTimeOffset? creationTimestamp = null;
        string? viaqLevel = null;

        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var field = reader.ValueIsEscaped
                ? EventFields.Lookup(System.Text.Encoding.UTF8.GetBytes(reader.GetString()!))
                : EventFields.Lookup(reader.ValueSpan);
            switch (field)
            {
                case EventField.Kind:
                    ev.Kind = ReadString(ref reader, "kind");
                    break;
                case EventField.ApiVersion:
                    ev.ApiVersion = ReadString(ref reader, "apiVersion");
                    break;
                case EventField.Level:
                    ev.Level = ReadString(ref reader, "level");
                    identifying++;
                    break;
                case EventField.AuditId:
                    ev.AuditId = ReadString(ref reader, "auditID", unique: true);
                    identifying++;
                    break;
                case EventField.Stage:
                    ev.Stage = ReadString(ref reader, "stage");
                    identifying++;
                    break;
                case EventField.RequestUri:
                    ev.RequestUri = ReadString(ref reader, "requestURI", unique: true);
                    identifying++;
                    break;
                case EventField.Verb:
                    ev.Verb = ReadString(ref reader, "verb");
                    identifying++;
                    break;
                case EventField.User:
                    ev.User = ReadUser(ref reader, "user") ?? ev.User;
                    break;
                case EventField.ImpersonatedUser:
                    ev.ImpersonatedUser = ReadUser(ref reader, "impersonatedUser");
                    break;
                case EventField.AuthenticationMetadata:
                    ev.AuthenticationMetadata = ReadAuthenticationMetadata(ref reader);
                    break;
                case EventField.SourceIps:
                    ev.SourceIPs = ReadStringArray(ref reader, "sourceIPs");
                    break;
                case EventField.UserAgent:
                    ev.UserAgent = ReadString(ref reader, "userAgent");
                    break;
                case EventField.ObjectRef:
                    ev.ObjectRef = ReadObjectRef(ref reader);
                    break;
                case EventField.ResponseStatus:
                    ev.ResponseStatus = ReadResponseStatus(ref reader, json);
                    break;
                case EventField.RequestObject:
                    ev.RequestObject = ReadRaw(ref reader, json);
                    break;
                case EventField.ResponseObject:
                    ev.ResponseObject = ReadRaw(ref reader, json);
                    break;
                case EventField.RequestReceivedTimestamp:
                    ev.RequestReceivedTimestamp = ReadTime(ref reader, "requestReceivedTimestamp");
                    break;
                case EventField.StageTimestamp:
                    ev.StageTimestamp = ReadTime(ref reader, "stageTimestamp");
                    break;
                case EventField.Annotations:
                    ev.Annotations = ReadStringMap(ref reader, "annotations");
                    break;
                case EventField.Timestamp:
                    // v1beta1/v1alpha1: request-received time at second precision.
                    legacyTimestamp = ReadTime(ref reader, "timestamp");
                    break;
                case EventField.Metadata:
                    // v1beta1/v1alpha1: metadata.creationTimestamp is the stage time.
                    creationTimestamp = ReadCreationTimestamp(ref reader);
                    break;
                case EventField.ViaqAuditLevel:
                    viaqLevel = ReadString(ref reader, "k8s_audit_level");
                    break;
                default:
                    reader.Read();
                    reader.Skip();
                    break;
            }
        }

        ev.RequestReceivedTimestamp ??= legacyTimestamp;
        ev.StageTimestamp ??= creationTimestamp;
        if (viaqLevel is not null)
        {
            ev.Level = viaqLevel; // ViaQ's level is the collector's ("default", "info")
        }

        return identifying;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private UserInfo? ReadUser(ref Utf8JsonReader reader, string path)
    {
        if (!BeginObject(ref reader, path))
        {
            return null;
        }

        var user = new UserInfo();
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("username"u8))
            {
                user.Username = ReadString(ref reader, path + ".username");
            }
            else if (reader.ValueTextEquals("uid"u8))
            {
                user.Uid = ReadString(ref reader, path + ".uid", unique: true);
            }
            else if (reader.ValueTextEquals("groups"u8))
            {
                user.Groups = ReadStringArray(ref reader, path + ".groups");
            }
            else if (reader.ValueTextEquals("extra"u8))
            {
                user.Extra = ReadExtra(ref reader, path + ".extra");
            }
            else
            {
                reader.Read();
                reader.Skip();
            }
        }

        return user;
    }

    private AuthenticationMetadata? ReadAuthenticationMetadata(ref Utf8JsonReader reader)
    {
        if (!BeginObject(ref reader, "authenticationMetadata"))
        {
            return null;
        }

        var meta = new AuthenticationMetadata();
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("impersonationConstraint"u8))
            {
                meta.ImpersonationConstraint = ReadString(ref reader, "authenticationMetadata.impersonationConstraint");
            }
            else
            {
                reader.Read();
                reader.Skip();
            }
        }

        return meta;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private ObjectReference? ReadObjectRef(ref Utf8JsonReader reader)
    {
        if (!BeginObject(ref reader, "objectRef"))
        {
            return null;
        }

        var obj = new ObjectReference();
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("resource"u8))
            {
                obj.Resource = ReadString(ref reader, "objectRef.resource");
            }
            else if (reader.ValueTextEquals("namespace"u8))
            {
                obj.Namespace = ReadString(ref reader, "objectRef.namespace");
            }
            else if (reader.ValueTextEquals("name"u8))
            {
                obj.Name = ReadString(ref reader, "objectRef.name");
            }
            else if (reader.ValueTextEquals("uid"u8))
            {
                obj.Uid = ReadString(ref reader, "objectRef.uid", unique: true);
            }
            else if (reader.ValueTextEquals("apiGroup"u8))
            {
                obj.ApiGroup = ReadString(ref reader, "objectRef.apiGroup");
            }
            else if (reader.ValueTextEquals("apiVersion"u8))
            {
                obj.ApiVersion = ReadString(ref reader, "objectRef.apiVersion");
            }
            else if (reader.ValueTextEquals("resourceVersion"u8))
            {
                obj.ResourceVersion = ReadString(ref reader, "objectRef.resourceVersion", unique: true);
            }
            else if (reader.ValueTextEquals("subresource"u8))
            {
                obj.Subresource = ReadString(ref reader, "objectRef.subresource");
            }
            else
            {
                reader.Read();
                reader.Skip();
            }
        }

        // v1alpha1 had no apiGroup and wrote "group/version" into apiVersion ("/v1" or "v1" for core).
        if (obj.ApiGroup is null && obj.ApiVersion is { } version && version.LastIndexOf('/') is var slash and >= 0)
        {
            obj.ApiGroup = _strings.Get(System.Text.Encoding.UTF8.GetBytes(version[..slash]));
            obj.ApiVersion = version[(slash + 1)..];
        }

        return obj;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private ResponseStatus? ReadResponseStatus(ref Utf8JsonReader reader, ReadOnlyMemory<byte> json)
    {
        if (!BeginObject(ref reader, "responseStatus"))
        {
            return null;
        }

        var status = new ResponseStatus();
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("code"u8))
            {
                status.Code = ReadInt(ref reader, "responseStatus.code");
            }
            else if (reader.ValueTextEquals("status"u8))
            {
                status.Status = ReadString(ref reader, "responseStatus.status");
            }
            else if (reader.ValueTextEquals("reason"u8))
            {
                status.Reason = ReadString(ref reader, "responseStatus.reason");
            }
            else if (reader.ValueTextEquals("message"u8))
            {
                status.Message = ReadString(ref reader, "responseStatus.message", unique: true);
            }
            else if (reader.ValueTextEquals("details"u8))
            {
                status.Details = ReadRaw(ref reader, json);
            }
            else
            {
                reader.Read();
                reader.Skip();
            }
        }

        return status;
    }

    private static DateTimeOffset? ReadCreationTimestamp(ref Utf8JsonReader reader)
    {
        if (!BeginObject(ref reader, "metadata"))
        {
            return null;
        }

        DateTimeOffset? created = null;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("creationTimestamp"u8))
            {
                created = ReadTime(ref reader, "metadata.creationTimestamp");
            }
            else
            {
                reader.Read();
                reader.Skip();
            }
        }

        return created;
    }

    // Moves to the value; true at the start of an object, false for null, throws otherwise.
    private static bool BeginObject(ref Utf8JsonReader reader, string path)
    {
        reader.Read();
        return reader.TokenType switch
        {
            JsonTokenType.StartObject => true,
            JsonTokenType.Null => false,
            _ => throw new EventFieldException(path, "an object", reader.TokenStartIndex),
        };
    }

    // unique: values that rarely repeat (IDs, URIs) skip the cache, which would only churn.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private string? ReadString(ref Utf8JsonReader reader, string path, bool unique = false)
    {
        reader.Read();
        return reader.TokenType switch
        {
            JsonTokenType.String when unique => reader.GetString(),
            JsonTokenType.String => CurrentString(ref reader),
            JsonTokenType.Null => null,
            _ => throw new EventFieldException(path, "a string", reader.TokenStartIndex),
        };
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private string CurrentString(ref Utf8JsonReader reader) =>
        reader.ValueIsEscaped ? reader.GetString()! : _strings.Get(reader.ValueSpan);

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private string[] ReadStringArray(ref Utf8JsonReader reader, string path)
    {
        reader.Read();
        if (reader.TokenType == JsonTokenType.Null)
        {
            return [];
        }

        if (reader.TokenType != JsonTokenType.StartArray)
        {
            throw new EventFieldException(path, "an array of strings", reader.TokenStartIndex);
        }

        var items = new List<string>(4);
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            if (reader.TokenType != JsonTokenType.String)
            {
                throw new EventFieldException(path + "[" + items.Count + "]", "a string", reader.TokenStartIndex);
            }

            items.Add(CurrentString(ref reader));
        }

        return [.. items];
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private Dictionary<string, string> ReadStringMap(ref Utf8JsonReader reader, string path)
    {
        var map = new Dictionary<string, string>(StringComparer.Ordinal);
        if (!BeginObject(ref reader, path))
        {
            return map;
        }

        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var key = CurrentString(ref reader);
            var value = ReadString(ref reader, path + "." + key);
            if (value is not null)
            {
                map[key] = value;
            }
        }

        return map;
    }

    private Dictionary<string, string[]> ReadExtra(ref Utf8JsonReader reader, string path)
    {
        var map = new Dictionary<string, string[]>(StringComparer.Ordinal);
        if (!BeginObject(ref reader, path))
        {
            return map;
        }

        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var key = CurrentString(ref reader);
            map[key] = ReadStringArray(ref reader, path + "." + key);
        }

        return map;
    }

    private static int? ReadInt(ref Utf8JsonReader reader, string path)
    {
        reader.Read();
        if (reader.TokenType == JsonTokenType.Null)
        {
            return null;
        }

        if (reader.TokenType == JsonTokenType.Number && reader.TryGetInt32(out var value))
        {
            return value;
        }

        throw new EventFieldException(path, "an integer", reader.TokenStartIndex);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static DateTimeOffset? ReadTime(ref Utf8JsonReader reader, string path)
    {
        reader.Read();
        if (reader.TokenType == JsonTokenType.Null)
        {
            return null;
        }

        if (reader.TokenType == JsonTokenType.String)
        {
            // The API server writes UTC with a Z; anything else goes through the lenient parser,
            // which treats a time without a zone as UTC rather than as this machine's local time.
            var span = reader.ValueSpan;
            if (!reader.ValueIsEscaped && span.Length > 0 && span[^1] == (byte)'Z' && reader.TryGetDateTimeOffset(out var fast))
            {
                return fast;
            }

            if (span.Length == 0)
            {
                return null;
            }

            if (TimestampParser.TryParse(reader.GetString()!, out var parsed))
            {
                return parsed;
            }
        }

        throw new EventFieldException(path, "a timestamp (RFC 3339)", reader.TokenStartIndex);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static RawJson? ReadRaw(ref Utf8JsonReader reader, ReadOnlyMemory<byte> json)
    {
        reader.Read();
        if (reader.TokenType == JsonTokenType.Null)
        {
            return null;
        }

        var start = (int)reader.TokenStartIndex;
        reader.Skip();
        var end = (int)reader.BytesConsumed;
        return RawJson.From(json[start..end]);
    }

    private static Diagnostic NotAnEvent(string why, string? file, long line, ReadOnlyMemory<byte> json) =>
        new(DiagnosticCodes.NotAnAuditEvent, DiagnosticSeverity.Error, "The input is not an audit event: " + why + ".", file, line, 1, Snippet(json.Span));

    private static string Describe(JsonTokenType token, byte first) => token switch
    {
        JsonTokenType.StartArray => "an array",
        JsonTokenType.String => "a string",
        JsonTokenType.Number => "a number",
        JsonTokenType.True or JsonTokenType.False => "a boolean",
        JsonTokenType.Null => "null",
        _ => "'" + (char)first + "'",
    };

    // System.Text.Json appends its own line/position text; we report those as fields.
    private static string TrimJsonMessage(string message)
    {
        var cut = message.IndexOf(" LineNumber:", StringComparison.Ordinal);
        return (cut > 0 ? message[..cut] : message).TrimEnd('.', ' ') + ".";
    }

    /// <summary>The first bytes of a line, for error messages.</summary>
    internal static string Snippet(ReadOnlySpan<byte> json) => Formats.PrintableText.Of(json, 120);
}
