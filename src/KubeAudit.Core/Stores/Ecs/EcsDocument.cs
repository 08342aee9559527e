using System.Globalization;
using System.Net;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace KubeAudit.Core.Stores.Ecs;

/// <summary>
/// Turns an event into the document Elastic's Kubernetes integration (<c>kubernetes.audit_logs</c> data stream) makes of
/// it, field for field, plus the fields its pipeline loses (see about_KubeAuditStores):
/// <list type="bullet">
/// <item><c>@timestamp</c>: when the API server received the request (the stage time when that is missing), not when it was read.</item>
/// <item><c>http.response.status_code</c>, and an <c>event.outcome</c> that is <c>failure</c> for a 4xx/5xx answer too.</item>
/// <item><c>user.group.name</c> (the groups), <c>user.effective.name</c>/<c>.id</c> (the impersonated user).</item>
/// <item><c>kubeaudit.resource_path</c> (<c>pods/exec</c>, or the URL path of a non-resource request) and
/// <c>kubeaudit.object_api_version</c> (<c>apps/v1</c>, <c>v1</c> for the core group).</item>
/// <item><c>kubernetes.audit.objectRef.apiGroup: ""</c> for the core group.</item>
/// </list>
/// </summary>
public static class EcsDocument
{
    /// <summary>The ECS version the documents follow.</summary>
    public const string EcsVersion = "8.17.0";

    /// <summary>The integration's data set, so its dashboards and detection rules find the documents.</summary>
    public const string Dataset = "kubernetes.audit_logs";

    /// <summary>Writer options for NDJSON documents: compact, and no needless escaping of non-ASCII text.</summary>
    public static JsonWriterOptions WriterOptions { get; } = new()
    {
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        SkipValidation = true,
    };

    /// <summary>
    /// Writes the document for <paramref name="e"/> as the writer's next value. With <paramref name="includeOriginal"/>
    /// the event's JSON goes into <c>event.original</c> (the stores always keep it: they rebuild events from it).
    /// </summary>
    /// <exception cref="InvalidOperationException">The event has no JSON (it was not read from a log).</exception>
    public static void Write(AuditEvent e, Utf8JsonWriter w, bool includeOriginal)
    {
        var json = e.GetUtf8Json();
        if (json.IsEmpty)
        {
            throw new InvalidOperationException($"The event {e.AuditId} has no JSON to map.");
        }

        w.WriteStartObject();
        if (e.Time is { } time)
        {
            w.WriteString("@timestamp"u8, FormatTime(time));
        }

        w.WriteStartObject("ecs"u8);
        w.WriteString("version"u8, EcsVersion);
        w.WriteEndObject();

        WriteEvent(e, w, includeOriginal ? json.Span : default);

        if (e.Code is { } code)
        {
            w.WriteStartObject("http"u8);
            w.WriteStartObject("response"u8);
            w.WriteNumber("status_code"u8, code);
            w.WriteEndObject();
            w.WriteEndObject();
        }

        WriteUser(e, w);
        if (!string.IsNullOrEmpty(e.UserAgent))
        {
            w.WriteStartObject("user_agent"u8);
            w.WriteString("original"u8, e.UserAgent);
            w.WriteEndObject();
        }

        var ips = SourceIps(e);
        if (ips is not null)
        {
            WriteArrayObject(w, "source"u8, "ip"u8, ips);
            WriteArrayObject(w, "client"u8, "ip"u8, ips);
        }

        WriteRelated(e, w, ips);
        WriteOrchestrator(e, w);
        WriteKubeAudit(e, w);

        w.WriteStartObject("kubernetes"u8);
        w.WritePropertyName("audit"u8);
        if (!AuditBodyPruner.Write(json.Span, w))
        {
            w.WriteStartObject();
            w.WriteEndObject();
        }

        w.WriteEndObject();
        w.WriteEndObject();
    }

    /// <summary>
    /// ECS <c>event.outcome</c>: <c>failure</c> when the authorizer forbade the request or the answer was 4xx/5xx,
    /// <c>success</c> when it allowed it or the answer was 1xx-3xx, else none. (The integration reads the decision
    /// only, so an allowed request that failed with 404 or an admission 403 counts there as success.)
    /// </summary>
    public static string? Outcome(AuditEvent e)
    {
        var decision = e.Decision;
        var code = e.Code;
        if (decision == "forbid" || code >= 400)
        {
            return "failure";
        }

        return decision == "allow" || code is >= 100 and < 400 ? "success" : null;
    }

    /// <summary><c>2025-03-04T06:22:18.819232Z</c>: UTC, fraction to 100 ns without trailing zeros.</summary>
    public static string FormatTime(DateTimeOffset time) =>
        time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.FFFFFFF'Z'", CultureInfo.InvariantCulture);

    private static void WriteEvent(AuditEvent e, Utf8JsonWriter w, ReadOnlySpan<byte> original)
    {
        w.WriteStartObject("event"u8);
        w.WriteString("kind"u8, "event"u8);
        w.WriteString("dataset"u8, Dataset);
        if (!string.IsNullOrEmpty(e.Verb))
        {
            w.WriteString("action"u8, e.Verb);
        }

        if (Outcome(e) is { } outcome)
        {
            w.WriteString("outcome"u8, outcome);
        }

        if (!original.IsEmpty)
        {
            // As read; a pretty-printed event is kept with its line breaks, escaped inside the string.
            w.WriteString("original"u8, original);
        }

        w.WriteEndObject();
    }

    private static void WriteUser(AuditEvent e, Utf8JsonWriter w)
    {
        var user = e.User;
        var impersonated = e.ImpersonatedUser;
        var hasEffective = impersonated is not null && (!string.IsNullOrEmpty(impersonated.Username) || !string.IsNullOrEmpty(impersonated.Uid));
        if (string.IsNullOrEmpty(user.Username) && string.IsNullOrEmpty(user.Uid) && user.Groups.Count == 0 && !hasEffective)
        {
            return;
        }

        w.WriteStartObject("user"u8);
        WriteIfSet(w, "name"u8, user.Username);
        WriteIfSet(w, "id"u8, user.Uid);
        var groups = user.Groups.Where(g => g.Length > 0).ToList();
        if (groups.Count > 0)
        {
            WriteArrayObject(w, "group"u8, "name"u8, groups);
        }

        if (hasEffective)
        {
            w.WriteStartObject("effective"u8);
            WriteIfSet(w, "name"u8, impersonated!.Username);
            WriteIfSet(w, "id"u8, impersonated.Uid);
            w.WriteEndObject();
        }

        w.WriteEndObject();
    }

    // The pipeline converts sourceIPs to ip; one address that does not parse fails the whole conversion, and it sets nothing.
    private static List<string>? SourceIps(AuditEvent e)
    {
        var ips = e.SourceIPs.Where(ip => ip.Length > 0).ToList();
        if (ips.Count == 0 || ips.Any(ip => !IPAddress.TryParse(ip, out _)))
        {
            return null;
        }

        return ips;
    }

    private static void WriteRelated(AuditEvent e, Utf8JsonWriter w, List<string>? ips)
    {
        var users = new List<string>(2);
        foreach (var u in new[] { e.User.Uid, e.User.Username })
        {
            if (!string.IsNullOrEmpty(u) && !users.Contains(u))
            {
                users.Add(u);
            }
        }

        if (ips is null && users.Count == 0)
        {
            return;
        }

        w.WriteStartObject("related"u8);
        if (ips is not null)
        {
            WriteArray(w, "ip"u8, ips.Distinct());
        }

        if (users.Count > 0)
        {
            WriteArray(w, "user"u8, users);
        }

        w.WriteEndObject();
    }

    private static void WriteOrchestrator(AuditEvent e, Utf8JsonWriter w)
    {
        w.WriteStartObject("orchestrator"u8);
        w.WriteString("type"u8, "kubernetes"u8);
        WriteIfSet(w, "api_version"u8, e.ApiVersion);
        if (e.ObjectRef is { } o)
        {
            WriteIfSet(w, "namespace"u8, o.Namespace);
            if (!string.IsNullOrEmpty(o.Resource) || !string.IsNullOrEmpty(o.Name))
            {
                w.WriteStartObject("resource"u8);
                WriteIfSet(w, "name"u8, o.Name);
                WriteIfSet(w, "type"u8, o.Resource);
                w.WriteEndObject();
            }
        }

        w.WriteEndObject();
    }

    private static void WriteKubeAudit(AuditEvent e, Utf8JsonWriter w)
    {
        var path = e.ResourcePath;
        var objectVersion = e.ObjectRef is { ApiVersion: { Length: > 0 } version } o
            ? (string.IsNullOrEmpty(o.ApiGroup) ? version : o.ApiGroup + "/" + version)
            : null;
        if (string.IsNullOrEmpty(path) && objectVersion is null)
        {
            return;
        }

        w.WriteStartObject("kubeaudit"u8);
        WriteIfSet(w, "resource_path"u8, path);
        WriteIfSet(w, "object_api_version"u8, objectVersion);
        w.WriteEndObject();
    }

    private static void WriteIfSet(Utf8JsonWriter w, ReadOnlySpan<byte> name, string? value)
    {
        if (!string.IsNullOrEmpty(value))
        {
            w.WriteString(name, value);
        }
    }

    private static void WriteArrayObject(Utf8JsonWriter w, ReadOnlySpan<byte> obj, ReadOnlySpan<byte> name, IEnumerable<string> values)
    {
        w.WriteStartObject(obj);
        WriteArray(w, name, values);
        w.WriteEndObject();
    }

    private static void WriteArray(Utf8JsonWriter w, ReadOnlySpan<byte> name, IEnumerable<string> values)
    {
        w.WriteStartArray(name);
        foreach (var v in values)
        {
            w.WriteStringValue(v);
        }

        w.WriteEndArray();
    }
}
