using System.Text.Json;

namespace KubeAudit.Core.Detections.BuiltIn;

/// <summary>
/// The built-in rule set: Falco's k8saudit rules and Sigma's Kubernetes audit rules, redone as small
/// tests that decide on verb, resource and user strings first and open a body only for the few
/// candidates that need one. Each call makes fresh rules (some keep state).
/// </summary>
public static class BuiltInRules
{
    /// <summary>
    /// Kubernetes' own identities, which legitimately do what many rules look for (controllers create pods,
    /// read secrets, update roles). Allowed by default where noted; -NoDefaultAllowList drops these lists.
    /// GKE's control plane acts as <c>system:gke-*</c> users and as the project's GKE service agent
    /// (<c>service-&lt;number&gt;@container-engine-robot.iam.gserviceaccount.com</c>), which Falco's GKE rules exclude too.
    /// </summary>
    public static IReadOnlyList<string> SystemIdentities { get; } =
    [
        "system:apiserver", "system:kube-controller-manager", "system:kube-scheduler", "system:kube-proxy",
        "system:node:*", "group:system:nodes", "system:serviceaccount:kube-system:*",
        "system:gke-*", "*@container-engine-robot.iam.gserviceaccount.com",
    ];

    private static readonly string[] s_probePaths = ["/healthz", "/livez", "/readyz", "/version"];

    /// <summary>The built-in rules, with the burst rule's threshold and window as given.</summary>
    public static IReadOnlyList<DetectionRule> Create(int burstThreshold = 10, TimeSpan? burstWindow = null) =>
    [
        Rule("Pod.Exec", ThreatSeverity.High, "T1609", ["pods"], [],
            "ran a command in pod {target}: {detail}",
            "create/get pods/exec, allowed",
            ev => Streamed(ev, "exec") ? Match(Command(ev)) : No),
        Rule("Pod.Attach", ThreatSeverity.High, "T1609", ["pods"], [],
            "attached to a container in pod {target}",
            "create/get pods/attach, allowed",
            ev => Streamed(ev, "attach") ? Match(null) : No),
        Rule("Pod.PortForward", ThreatSeverity.Medium, "T1572", ["pods"], [],
            "forwarded a port into pod {target}",
            "create/get pods/portforward, allowed",
            ev => Streamed(ev, "portforward") ? Match(null) : No),
        Rule("Pod.EphemeralContainer", ThreatSeverity.Medium, "T1609", ["pods"], [],
            "added an ephemeral (debug) container to pod {target}",
            "update/patch pods/ephemeralcontainers, allowed",
            ev => ev.Subresource == "ephemeralcontainers" && ev.Verb is "update" or "patch" && EventFacts.Succeeded(ev) ? Match(null) : No),
        Rule("Pod.Privileged", ThreatSeverity.High, "T1611", ["pods"], [],
            "created pod {target} with privileged container {detail}",
            "create pods whose (init/ephemeral) container has securityContext.privileged: true (needs Request bodies)",
            ev => PodSpecs.Check(ev, PodSpecs.Privileged), needsBodies: true),
        Rule("Pod.HostNamespace", ThreatSeverity.High, "T1611", ["pods"], [],
            "created pod {target} sharing the host's namespaces: {detail}",
            "create pods with hostPID, hostNetwork or hostIPC: true (needs Request bodies)",
            ev => PodSpecs.Check(ev, PodSpecs.HostNamespaces), needsBodies: true),
        Rule("Pod.SensitiveHostPath", ThreatSeverity.High, "T1611", ["pods"], [],
            "created pod {target} mounting host path {detail}",
            "create pods with a hostPath volume at /, or under /etc, /proc, /root, /var/lib/kubelet, /var/run, a container runtime socket, ... (needs Request bodies)",
            ev => PodSpecs.Check(ev, PodSpecs.SensitiveHostPaths), needsBodies: true),
        Rule("Pod.CreatedInKubeNamespace", ThreatSeverity.Medium, "T1610", ["pods"], [],
            "created pod {target} from {detail}",
            "create pods in kube-system or kube-public with an image not from Kubernetes' or a cloud's system registries (needs Request bodies)",
            ev => ev.Namespace is "kube-system" or "kube-public" ? PodSpecs.Check(ev, PodSpecs.UnknownSystemImages) : No, needsBodies: true),
        Rule("ConfigMap.Credentials", ThreatSeverity.Medium, "T1552.007", ["configmaps"], [],
            "{verbed} ConfigMap {target} holding credential-looking data: {detail}",
            "create/update/patch configmaps whose data has credential-like keys (password, token, secret, key, ...) or values (AWS/Google keys, private keys, 'password = ...') (needs Request bodies)",
            ConfigMapCredentials, needsBodies: true),
        Rule("Secret.ReadByUnusualIdentity", ThreatSeverity.Medium, "T1552.007", ["secrets"], SystemIdentities,
            "read secret {target}",
            "get secrets, allowed, by an identity not on the allow-list",
            ev => ev.Verb == "get" && EventFacts.Succeeded(ev) ? Match(null) : No),
        Rule("Secret.ListAllNamespaces", ThreatSeverity.High, "T1552.007", ["secrets"], SystemIdentities,
            "{verbed} secrets across all namespaces",
            "list/watch secrets without a namespace, allowed",
            ev => ev.Verb is "list" or "watch" && string.IsNullOrEmpty(ev.Namespace) && EventFacts.Succeeded(ev) ? Match(null) : No),
        Rule("Rbac.ClusterAdminBinding", ThreatSeverity.Critical, "T1098.006", ["clusterrolebindings", "rolebindings"], ["system:apiserver"],
            "bound {detail} ({resource} {name})",
            "create/update/patch (cluster)rolebindings whose roleRef is cluster-admin (needs Request bodies)",
            ev => RbacWrite(ev, RbacBodies.ClusterAdminBinding), needsBodies: true),
        Rule("Rbac.WildcardRole", ThreatSeverity.High, "T1098.006", ["clusterroles", "roles"], SystemIdentities,
            "{verbed} {resource} {target} with {detail}",
            "create/update/patch (cluster)roles with '*' in verbs, resources or apiGroups (needs Request bodies)",
            ev => RbacWrite(ev, RbacBodies.Wildcards), needsBodies: true),
        Rule("Rbac.PodExecRole", ThreatSeverity.Medium, "T1098.006", ["clusterroles", "roles"], SystemIdentities,
            "{verbed} {resource} {target} granting {detail}",
            "create/update/patch (cluster)roles granting create/get on pods/exec or pods/attach (needs Request bodies)",
            ev => RbacWrite(ev, RbacBodies.PodExec), needsBodies: true),
        Rule("Rbac.SystemRoleModified", ThreatSeverity.Medium, "T1098", ["clusterroles", "clusterrolebindings", "roles", "rolebindings"], SystemIdentities,
            "{verbed} built-in {resource} {name}",
            "update/patch/delete of a (cluster)role or binding named system:*, allowed",
            ev => ev.Verb is "update" or "patch" or "delete" && ev.Name is { } n && n.StartsWith("system:", StringComparison.Ordinal) && EventFacts.Succeeded(ev) ? Match(null) : No),
        Rule("ServiceAccount.TokenRequested", ThreatSeverity.Medium, "T1528", ["serviceaccounts"], SystemIdentities,
            "requested a token for service account {target}",
            "create serviceaccounts/token (TokenRequest), allowed, by an identity other than kubelets and controllers",
            ev => ev.Subresource == "token" && ev.Verb == "create" && EventFacts.Succeeded(ev) ? Match(null) : No),
        Rule("ServiceAccount.CreatedInKubeNamespace", ThreatSeverity.Low, "T1136", ["serviceaccounts"], SystemIdentities,
            "created service account {target} in a system namespace",
            "create serviceaccounts in kube-system or kube-public, allowed",
            ev => ev.Verb == "create" && ev.Subresource is null && ev.Namespace is "kube-system" or "kube-public" && EventFacts.Succeeded(ev) ? Match(null) : No),
        Rule("Auth.AnonymousAllowed", ThreatSeverity.High, "T1078", null, [],
            "An unauthenticated request was allowed: {verb} {resource} from {sourceIP}",
            "user system:anonymous or group system:unauthenticated, allowed, other than /healthz, /livez, /readyz and /version",
            AnonymousAllowed),
        new FailureBurstRule(burstThreshold, burstWindow),
        Rule("Evidence.EventsDeleted", ThreatSeverity.Medium, "T1070", ["events"], SystemIdentities,
            "{verbed} Kubernetes events in {namespace}",
            "delete/deletecollection events (core or events.k8s.io), allowed",
            ev => EventFacts.IsDelete(ev) && EventFacts.Succeeded(ev) ? Match(null) : No),
        Rule("Node.Proxy", ThreatSeverity.High, "T1609", ["nodes"], [],
            "reached the kubelet API of node {name} through the API server: {verb} {uri}",
            "nodes/proxy (the kubelet API: exec, run, attach, logs, pods), allowed, other than a get of /metrics*, /stats*, /healthz, /configz",
            ev => ev.Subresource == "proxy" && EventFacts.Succeeded(ev) && !IsKubeletMonitoring(ev) ? Match(null) : No),
        Rule("Workload.Proxy", ThreatSeverity.Low, "T1090", ["pods", "services"], [],
            "proxied a request to {resource} {target}",
            "any verb on pods/proxy or services/proxy, allowed",
            ev => ev.Subresource == "proxy" && EventFacts.Succeeded(ev) ? Match(null) : No),
        Rule("Impersonation", ThreatSeverity.Medium, "T1078", null, SystemIdentities,
            "acted as {impersonatedUser}: {verb} {resource} {target}",
            "a request with impersonatedUser set, allowed",
            ev => ev.ImpersonatedUser is { } imp && EventFacts.Succeeded(ev) ? Match(imp.Username) : No),
        Rule("Admission.WebhookCreated", ThreatSeverity.High, null, ["mutatingwebhookconfigurations", "validatingwebhookconfigurations"], SystemIdentities,
            "created admission webhook {resource} {name}",
            "create mutating/validating webhook configurations, allowed",
            ev => ev.Verb == "create" && EventFacts.Succeeded(ev) ? Match(null) : No),
        Rule("KubeSystem.CronJob", ThreatSeverity.Medium, "T1053.007", ["cronjobs"], SystemIdentities,
            "{verbed} CronJob {target} in kube-system",
            "create/update/patch cronjobs in kube-system, allowed",
            ev => InKubeSystem(ev) ? Match(null) : No),
        Rule("KubeSystem.DaemonSet", ThreatSeverity.Medium, "T1543.005", ["daemonsets"], SystemIdentities,
            "{verbed} DaemonSet {target} in kube-system",
            "create/update/patch daemonsets in kube-system, allowed",
            ev => InKubeSystem(ev) ? Match(null) : No),
        Rule("Namespace.Deleted", ThreatSeverity.Medium, "T1485", ["namespaces"], SystemIdentities,
            "deleted namespace {name}",
            "delete namespaces, allowed",
            ev => ev.Verb == "delete" && ev.Subresource is null && EventFacts.Succeeded(ev) ? Match(null) : No),
        Rule("Service.NodePort", ThreatSeverity.Low, null, ["services"], SystemIdentities,
            "exposed service {target} on every node's port (NodePort)",
            "create services with spec.type NodePort (needs Request bodies)",
            NodePortService, needsBodies: true),
    ];

    private static (Verdict, string?) No => (Verdict.NoMatch, null);

    private static (Verdict, string?) Match(string? detail) => (Verdict.Match, detail);

    private static PredicateRule Rule(
        string name,
        ThreatSeverity severity,
        string? technique,
        string[]? resources,
        IReadOnlyList<string> allow,
        string description,
        string condition,
        Func<AuditEvent, (Verdict, string?)> test,
        bool needsBodies = false) =>
        new(ThreatRules.Describe(name, severity, description, condition, technique, needsBodies: needsBodies, allow: allow, tags: [name.Split('.')[0].ToLowerInvariant()]), resources, test);

    // exec/attach/portforward are websocket or SPDY upgrades: create (kubectl) or get (websocket clients).
    private static bool Streamed(AuditEvent ev, string subresource) =>
        ev.Subresource == subresource && ev.Verb is "create" or "get" && EventFacts.Succeeded(ev);

    // The command of an exec, from the URL's command= parameters ("/bin/sh -c id").
    private static string Command(AuditEvent ev)
    {
        var uri = ev.RequestUri;
        var q = uri?.IndexOf('?') ?? -1;
        if (uri is null || q < 0)
        {
            return CommandFromBody(ev) ?? "(command not logged)";
        }

        var parts = uri[(q + 1)..].Split('&')
            .Where(p => p.StartsWith("command=", StringComparison.Ordinal))
            .Select(p => Uri.UnescapeDataString(p["command=".Length..].Replace('+', ' ')))
            .ToList();
        var container = uri[(q + 1)..].Split('&').FirstOrDefault(p => p.StartsWith("container=", StringComparison.Ordinal));
        var command = parts.Count == 0 ? "(command not logged)" : string.Join(' ', parts);
        return container is null ? command : $"{command} (container {Uri.UnescapeDataString(container["container=".Length..])})";
    }

    // GKE logs the exec's options as the request (a PodExecOptions) instead of in the URL.
    private static string? CommandFromBody(AuditEvent ev)
    {
        if (Bodies.Open(ev) is not { } body)
        {
            return null;
        }

        var command = string.Join(' ', Bodies.Items(body, "command").Where(c => c.ValueKind == JsonValueKind.String).Select(c => c.GetString()));
        var container = Bodies.String(body, "container");
        return command.Length == 0 ? null : container is null ? command : $"{command} (container {container})";
    }

    private static (Verdict, string?) ConfigMapCredentials(AuditEvent ev)
    {
        if (!EventFacts.IsWrite(ev) || ev.Subresource is not null || !EventFacts.Succeeded(ev))
        {
            return No;
        }

        var body = Bodies.Open(ev);
        if (body is null)
        {
            return (Verdict.BodyMissing, null);
        }

        return CredentialScanner.Scan(body.Value) is { } found ? Match(found) : No;
    }

    private static (Verdict, string?) RbacWrite(AuditEvent ev, Func<JsonElement, string?> inspect)
    {
        if (!EventFacts.IsWrite(ev) || ev.Subresource is not null || !EventFacts.Succeeded(ev))
        {
            return No;
        }

        var body = Bodies.Open(ev);
        if (body is null)
        {
            return (Verdict.BodyMissing, null);
        }

        return inspect(body.Value) is { } found ? Match(found) : No;
    }

    private static (Verdict, string?) NodePortService(AuditEvent ev)
    {
        if (ev.Verb != "create" || ev.Subresource is not null || !EventFacts.Succeeded(ev))
        {
            return No;
        }

        var body = Bodies.Open(ev);
        if (body is null)
        {
            return (Verdict.BodyMissing, null);
        }

        return Bodies.TryGet(body.Value, "spec", out var spec) && Bodies.String(spec, "type") == "NodePort" ? Match(null) : No;
    }

    private static (Verdict, string?) AnonymousAllowed(AuditEvent ev)
    {
        if (ev.Username != "system:anonymous" && Array.IndexOf(ev.User.Groups, "system:unauthenticated") < 0)
        {
            return No;
        }

        var allowed = EventFacts.Succeeded(ev)
            || (ev.Annotations.TryGetValue("authorization.k8s.io/decision", out var decision) && decision == "allow" && ev.Code is null);
        if (!allowed)
        {
            return No;
        }

        var path = EventFacts.Path(ev) ?? string.Empty;
        foreach (var probe in s_probePaths)
        {
            if (path == probe || path.StartsWith(probe + "/", StringComparison.Ordinal))
            {
                return No;
            }
        }

        return Match(null);
    }

    // Prometheus and metrics agents scrape kubelets through nodes/proxy all day: reads of metrics and stats are not an attack.
    private static bool IsKubeletMonitoring(AuditEvent ev)
    {
        if (ev.Verb != "get" || EventFacts.Path(ev) is not { } path)
        {
            return false;
        }

        var at = path.IndexOf("/proxy", StringComparison.Ordinal);
        var rest = at < 0 ? string.Empty : path[(at + "/proxy".Length)..];
        return rest.StartsWith("/metrics", StringComparison.Ordinal) || rest.StartsWith("/stats", StringComparison.Ordinal)
            || rest is "/healthz" or "/configz";
    }

    private static bool InKubeSystem(AuditEvent ev) =>
        ev.Namespace == "kube-system" && EventFacts.IsWrite(ev) && ev.Subresource is null && EventFacts.Succeeded(ev);
}
