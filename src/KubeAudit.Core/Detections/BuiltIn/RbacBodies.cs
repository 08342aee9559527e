using System.Text.Json;

namespace KubeAudit.Core.Detections.BuiltIn;

/// <summary>What an RBAC Role, ClusterRole or binding body grants.</summary>
internal static class RbacBodies
{
    /// <summary>For a binding to cluster-admin: "cluster-admin to User minikube, Group ops"; otherwise null.</summary>
    public static string? ClusterAdminBinding(JsonElement body)
    {
        if (!Bodies.TryGet(body, "roleRef", out var roleRef) || Bodies.String(roleRef, "name") != "cluster-admin")
        {
            return null;
        }

        var subjects = Bodies.Items(body, "subjects")
            .Select(s => $"{Bodies.String(s, "kind")} {(Bodies.String(s, "namespace") is { } ns ? ns + "/" : string.Empty)}{Bodies.String(s, "name")}")
            .ToList();
        return "cluster-admin to " + (subjects.Count == 0 ? "no subjects" : string.Join(", ", subjects));
    }

    /// <summary>For a role with '*' in its verbs, resources or API groups: which; otherwise null.</summary>
    public static string? Wildcards(JsonElement body)
    {
        var found = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var rule in Bodies.Items(body, "rules"))
        {
            foreach (var field in new[] { "verbs", "resources", "apiGroups" })
            {
                if (Bodies.Items(rule, field).Any(v => v.ValueKind == JsonValueKind.String && v.GetString() == "*"))
                {
                    found.Add(field);
                }
            }
        }

        return found.Count == 0 ? null : "'*' in " + string.Join(", ", found);
    }

    /// <summary>For a role that grants pods/exec or pods/attach with create or get: which; otherwise null.</summary>
    public static string? PodExec(JsonElement body)
    {
        var found = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var rule in Bodies.Items(body, "rules"))
        {
            var verbs = Strings(rule, "verbs");
            if (!verbs.Any(v => v is "create" or "get" or "*"))
            {
                continue;
            }

            foreach (var resource in Strings(rule, "resources"))
            {
                if (resource is "pods/exec" or "pods/attach" or "pods/*")
                {
                    found.Add(resource);
                }
            }
        }

        return found.Count == 0 ? null : string.Join(", ", found);
    }

    private static IEnumerable<string> Strings(JsonElement element, string name) =>
        Bodies.Items(element, name).Where(v => v.ValueKind == JsonValueKind.String).Select(v => v.GetString()!);
}
