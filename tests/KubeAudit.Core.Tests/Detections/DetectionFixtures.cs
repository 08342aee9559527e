using System.Text.Json;
using KubeAudit.Core.Detections;
using KubeAudit.Core.Detections.BuiltIn;

namespace KubeAudit.Core.Tests.Detections;

/// <summary>Events for rule tests: Falco's k8s_audit trace files (real positives and near misses) and small hand-made ones.</summary>
internal static class DetectionFixtures
{
    public static string FalcoTraces => TestPaths.CorpusFile("events", "falco-k8s_audit-traces");

    /// <summary>The events of one Falco trace file.</summary>
    public static List<AuditEvent> Falco(string file) =>
        ReaderHelpers.ReadBytes(File.ReadAllBytes(Path.Combine(FalcoTraces, file)), file)
            .Where(r => r.Event is not null)
            .Select(r => r.Event!)
            .ToList();

    /// <summary>A realistic event as the API server logs it, built from the few fields a rule looks at.</summary>
    public static AuditEvent Event(
        string verb,
        string? resource,
        string? subresource = null,
        string? ns = null,
        string? name = null,
        string user = "alice@example.com",
        string[]? groups = null,
        int code = 200,
        string stage = "ResponseComplete",
        string? uri = null,
        object? requestObject = null,
        string level = "Request",
        string? impersonate = null,
        DateTimeOffset? time = null,
        string? apiGroup = null,
        string? auditId = null)
    {
        var at = (time ?? new DateTimeOffset(2026, 1, 5, 8, 0, 0, TimeSpan.Zero)).UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'", CultureInfo.InvariantCulture);
        var path = uri ?? (resource is null ? "/healthz"
            : (apiGroup is null ? "/api/v1" : "/apis/" + apiGroup + "/v1") + (ns is null ? string.Empty : "/namespaces/" + ns) + "/" + resource
              + (name is null ? string.Empty : "/" + name) + (subresource is null ? string.Empty : "/" + subresource));
        var ev = new Dictionary<string, object?>
        {
            ["kind"] = "Event",
            ["apiVersion"] = "audit.k8s.io/v1",
            ["level"] = level,
            ["auditID"] = auditId ?? Guid.NewGuid().ToString(),
            ["stage"] = stage,
            ["requestURI"] = path,
            ["verb"] = verb,
            ["user"] = new Dictionary<string, object?> { ["username"] = user, ["groups"] = groups ?? ["system:authenticated"] },
            ["sourceIPs"] = new[] { "198.51.100.7" },
            ["userAgent"] = "kubectl/v1.31.2 (linux/amd64) kubernetes/5864a46",
            ["responseStatus"] = new Dictionary<string, object?> { ["metadata"] = new { }, ["code"] = code },
            ["requestReceivedTimestamp"] = at,
            ["stageTimestamp"] = at,
            ["annotations"] = new Dictionary<string, string> { ["authorization.k8s.io/decision"] = code == 403 ? "forbid" : "allow", ["authorization.k8s.io/reason"] = "" },
        };
        if (resource is not null)
        {
            var objectRef = new Dictionary<string, object?> { ["resource"] = resource, ["apiVersion"] = "v1" };
            if (subresource is not null)
            {
                objectRef["subresource"] = subresource;
            }

            if (ns is not null)
            {
                objectRef["namespace"] = ns;
            }

            if (name is not null)
            {
                objectRef["name"] = name;
            }

            if (apiGroup is not null)
            {
                objectRef["apiGroup"] = apiGroup;
            }

            ev["objectRef"] = objectRef;
        }

        if (impersonate is not null)
        {
            ev["impersonatedUser"] = new Dictionary<string, object?> { ["username"] = impersonate, ["groups"] = new[] { "system:authenticated" } };
        }

        if (requestObject is not null)
        {
            ev["requestObject"] = requestObject;
        }

        return ReaderHelpers.ParseOne(JsonSerializer.Serialize(ev));
    }

    /// <summary>The names of the rules the built-in set reports for <paramref name="events"/>, in order.</summary>
    public static List<string> Fired(IEnumerable<AuditEvent> events, ThreatEngineOptions? options = null) =>
        new ThreatEngine(BuiltInRules.Create(), options).Inspect(events).Select(f => f.Rule).ToList();
}
