using System.Text.Json;
using KubeAudit.Core.Rbac;

namespace KubeAudit.Core.Tests.Rbac;

/// <summary>Builds audit events (parsed from JSON, as from a log) and reads back generated rules.</summary>
internal static class RbacEvents
{
    private static int s_id;

    public static AuditEvent Ev(
        string verb,
        string user = "bob",
        string? resource = null,
        string? ns = null,
        string? name = null,
        string? sub = null,
        string group = "",
        string? uri = null,
        int code = 200,
        string? decision = null,
        string? id = null,
        string stage = "ResponseComplete",
        string time = "2024-05-01T12:00:00Z",
        string[]? groups = null,
        string? impersonate = null) => ReaderHelpers.ParseOne(Json(verb, user, resource, ns, name, sub, group, uri, code, decision, id, stage, time, groups, impersonate));

    public static string Json(
        string verb,
        string user = "bob",
        string? resource = null,
        string? ns = null,
        string? name = null,
        string? sub = null,
        string group = "",
        string? uri = null,
        int code = 200,
        string? decision = null,
        string? id = null,
        string stage = "ResponseComplete",
        string time = "2024-05-01T12:00:00Z",
        string[]? groups = null,
        string? impersonate = null)
    {
        var ev = new Dictionary<string, object?>
        {
            ["kind"] = "Event",
            ["apiVersion"] = "audit.k8s.io/v1",
            ["level"] = "Metadata",
            ["auditID"] = id ?? "id-" + Interlocked.Increment(ref s_id),
            ["stage"] = stage,
            ["requestURI"] = uri ?? "/api/v1/" + (ns is null ? string.Empty : "namespaces/" + ns + "/") + resource + (name is null ? string.Empty : "/" + name),
            ["verb"] = verb,
            ["user"] = new Dictionary<string, object> { ["username"] = user, ["groups"] = groups ?? ["system:authenticated"] },
            ["requestReceivedTimestamp"] = time,
            ["stageTimestamp"] = time,
        };
        if (impersonate is not null)
        {
            ev["impersonatedUser"] = new Dictionary<string, object> { ["username"] = impersonate, ["groups"] = new[] { "system:authenticated" } };
        }

        if (resource is not null)
        {
            var o = new Dictionary<string, object> { ["resource"] = resource, ["apiVersion"] = "v1", ["apiGroup"] = group };
            if (ns is not null)
            {
                o["namespace"] = ns;
            }

            if (name is not null)
            {
                o["name"] = name;
            }

            if (sub is not null)
            {
                o["subresource"] = sub;
            }

            ev["objectRef"] = o;
        }

        if (stage != "RequestReceived")
        {
            ev["responseStatus"] = new Dictionary<string, object> { ["code"] = code };
        }

        if (decision is not null)
        {
            ev["annotations"] = new Dictionary<string, string> { ["authorization.k8s.io/decision"] = decision };
        }

        return JsonSerializer.Serialize(ev);
    }

    public static RbacPolicy Generate(RbacSubject subject, RbacGeneratorOptions options, IEnumerable<AuditEvent> events)
    {
        var generator = new RbacPolicyGenerator(subject, options);
        foreach (var ev in events)
        {
            generator.Add(ev);
        }

        return generator.Build();
    }

    public static RbacPolicy Generate(params AuditEvent[] events) => Generate(RbacSubject.User("bob"), new RbacGeneratorOptions(), events);

    /// <summary>"Role ns1" / "ClusterRole" → the rules in compact form.</summary>
    public static Dictionary<string, string[]> Rules(RbacPolicy policy) => policy.Roles.ToDictionary(
        r => r.IsClusterRole ? "ClusterRole" : "Role " + r.Namespace,
        r => r.Rules.Select(x => x.ToString()).ToArray());

    /// <summary>A rule in compact form: resources of one group (names optional), or URLs when group is null.</summary>
    public static string R(string verbs, string? group, string resources, string names = "") => new PolicyRule
    {
        Verbs = verbs.Split(','),
        ApiGroups = group is null ? [] : [group],
        Resources = group is null ? [] : resources.Split(','),
        NonResourceUrls = group is null ? resources.Split(',') : [],
        ResourceNames = names.Length == 0 ? [] : names.Split(','),
    }.ToString();
}
