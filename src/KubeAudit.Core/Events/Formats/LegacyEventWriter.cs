using System.Buffers;
using System.Globalization;
using System.Text.Json;

namespace KubeAudit.Core.Events.Formats;

/// <summary>
/// Writes what a legacy text line carries as audit.k8s.io/v1 Event JSON, so a legacy event exports to
/// JSON lines like any other. Only the fields the line has are written; the line has no level, bodies or
/// annotations. Placeholders (<c>&lt;none&gt;</c>, <c>&lt;self&gt;</c>, <c>&lt;lookup&gt;</c>,
/// <c>&lt;unknown&gt;</c>, <c>&lt;deferred&gt;</c>) become absent fields. Timestamps are written as the
/// API server writes MicroTime: UTC, six fraction digits (the line's zone offset and nanoseconds are not kept).
/// </summary>
internal static class LegacyEventWriter
{
    private static readonly JsonWriterOptions s_options = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>
    /// The event JSON for <paramref name="request"/>, completed by a separate basic-audit
    /// <paramref name="response"/> line when there is one. Returns null with a reason when a value is malformed.
    /// </summary>
    public static byte[]? Write(LegacyLine request, LegacyLine? response, out string? error)
    {
        error = null;
        var responseText = response?.Get("response") ?? request.Get("response");
        int? code = null;
        if (responseText is not null && responseText != "<deferred>")
        {
            if (!int.TryParse(responseText, NumberStyles.None, CultureInfo.InvariantCulture, out var parsed))
            {
                error = $"response=\"{responseText}\" is neither a status code nor <deferred>";
                return null;
            }

            code = parsed;
        }

        var username = request.Get("user") is { Length: > 0 } u && u != "<none>" ? u : null;
        string[]? groups = null;
        if (request.Get("groups") is { } groupList && groupList != "<none>")
        {
            groups = LegacyLineParser.SplitGroups(groupList);
            if (groups is null)
            {
                error = "groups is not a comma-separated list of quoted strings";
                return null;
            }
        }

        var asUser = request.Get("as") is { } a && a != "<self>" ? a : null;
        string[]? asGroups = null;
        if (asUser is not null && request.Get("asgroups") is { } asGroupList && asGroupList != "<lookup>")
        {
            asGroups = LegacyLineParser.SplitGroups(asGroupList);
            if (asGroups is null)
            {
                error = "asgroups is not a comma-separated list of quoted strings";
                return null;
            }
        }

        var buffer = new ArrayBufferWriter<byte>(512);
        using (var w = new Utf8JsonWriter(buffer, s_options))
        {
            w.WriteStartObject();
            w.WriteString("kind", "Event");
            w.WriteString("apiVersion", "audit.k8s.io/v1");
            WriteIfPresent(w, "auditID", request.Get("id"));
            WriteIfPresent(w, "stage", request.Get("stage"));
            WriteIfPresent(w, "requestURI", request.Get("uri"));
            WriteIfPresent(w, "verb", request.Get("method"));

            w.WriteStartObject("user");
            WriteIfPresent(w, "username", username);
            WriteGroups(w, groups);
            w.WriteEndObject();

            if (asUser is not null)
            {
                w.WriteStartObject("impersonatedUser");
                w.WriteString("username", asUser);
                WriteGroups(w, asGroups);
                w.WriteEndObject();
            }

            if (request.Get("ip") is { Length: > 0 } ip && ip != "<unknown>")
            {
                w.WriteStartArray("sourceIPs");
                w.WriteStringValue(ip);
                w.WriteEndArray();
            }

            if (request.Get("user-agent") is { Length: > 0 } agent)
            {
                w.WriteString("userAgent", agent);
            }

            if (request.Get("namespace") is { Length: > 0 } ns && ns != "<none>")
            {
                w.WriteStartObject("objectRef");
                w.WriteString("namespace", ns);
                w.WriteEndObject();
            }

            if (code is { } c)
            {
                w.WriteStartObject("responseStatus");
                w.WriteStartObject("metadata");
                w.WriteEndObject();
                w.WriteNumber("code", c);
                w.WriteEndObject();
            }

            w.WriteString("requestReceivedTimestamp", MicroTime(request.Timestamp));

            // The line has one time, when the request came in. A separate response line has its own;
            // at RequestReceived the stage time is the received time (spec §1.3).
            if (response is not null)
            {
                w.WriteString("stageTimestamp", MicroTime(response.Timestamp));
            }
            else if (request.Get("stage") == "RequestReceived")
            {
                w.WriteString("stageTimestamp", MicroTime(request.Timestamp));
            }
            else
            {
                w.WriteNull("stageTimestamp");
            }

            w.WriteEndObject();
        }

        return buffer.WrittenSpan.ToArray();
    }

    private static void WriteIfPresent(Utf8JsonWriter w, string name, string? value)
    {
        if (value is not null)
        {
            w.WriteString(name, value);
        }
    }

    private static void WriteGroups(Utf8JsonWriter w, string[]? groups)
    {
        if (groups is null)
        {
            return;
        }

        w.WriteStartArray("groups");
        foreach (var g in groups)
        {
            w.WriteStringValue(g);
        }

        w.WriteEndArray();
    }

    private static string MicroTime(DateTimeOffset time) =>
        time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'", CultureInfo.InvariantCulture);
}
