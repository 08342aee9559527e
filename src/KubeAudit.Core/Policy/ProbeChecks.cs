namespace KubeAudit.Core.Policy;

/// <summary>
/// Linter checks decided by evaluating the policy on concrete requests with <see cref="LevelResolver"/>,
/// rather than by reading rule text: what a rule means depends on the rules before it.
/// </summary>
internal static class ProbeChecks
{
    private static readonly string[] s_readWrite = ["get", "list", "watch", "create", "update", "patch", "delete"];
    private static readonly string[] s_read = ["get", "list", "watch"];
    private static readonly string[] s_write = ["create", "update", "patch", "delete"];
    private static readonly string[] s_connect = ["create", "get"];

    // Resources whose bodies carry credentials, and the verbs whose request body does.
    private static readonly (ResourceProbe Probe, string[] RequestBodyVerbs)[] s_credentials =
    [
        (new("secrets", "", "secrets", "", true, s_readWrite), ["create", "update", "patch"]),
        (new("configmaps", "", "configmaps", "", true, s_readWrite), ["create", "update", "patch"]),
        (new("tokenreviews", "authentication.k8s.io", "tokenreviews", "", false, ["create"]), ["create"]),

        // A TokenRequest's request body holds only audiences; the token is in the response.
        (new("serviceaccounts/token", "", "serviceaccounts", "token", true, ["create"]), []),
    ];

    private static readonly ResourceProbe[] s_highVolume =
    [
        new("events", "", "events", "", true, s_read),
        new("events (events.k8s.io)", "events.k8s.io", "events", "", true, s_read),
        new("leases", "coordination.k8s.io", "leases", "", true, s_read),
        new("endpoints", "", "endpoints", "", true, s_read),
        new("endpointslices", "discovery.k8s.io", "endpointslices", "", true, s_read),
    ];

    private static readonly string[] s_healthPaths = ["/healthz", "/healthz/etcd", "/livez", "/livez/ping", "/readyz", "/readyz/ping"];

    private static readonly (string Code, ResourceProbe[] Probes)[] s_mustLog =
    [
        (PolicyFindingCodes.PodAccessNotLogged, [new("pods/exec requests", "", "pods", "exec", true, s_connect)]),
        (PolicyFindingCodes.PodAccessNotLogged, [new("pods/attach requests", "", "pods", "attach", true, s_connect)]),
        (PolicyFindingCodes.PodAccessNotLogged, [new("pods/portforward requests", "", "pods", "portforward", true, s_connect)]),
        (PolicyFindingCodes.RbacChangesNotLogged,
        [
            new("RBAC changes", "rbac.authorization.k8s.io", "roles", "", true, s_write),
            new("RBAC changes", "rbac.authorization.k8s.io", "rolebindings", "", true, s_write),
            new("RBAC changes", "rbac.authorization.k8s.io", "clusterroles", "", false, s_write),
            new("RBAC changes", "rbac.authorization.k8s.io", "clusterrolebindings", "", false, s_write),
        ]),
        (PolicyFindingCodes.TokenRequestsNotLogged, [new("token requests (create serviceaccounts/token)", "", "serviceaccounts", "token", true, ["create"])]),
    ];

    /// <summary>KA2001: credential-bearing bodies reachable at Request or RequestResponse.</summary>
    public static IEnumerable<PolicyFinding> CredentialBodies(AuditPolicy policy, LevelResolver resolver, ProbeSpace space)
    {
        var found = new SortedDictionary<(int Rule, int Class), (string Level, string Example)>();
        for (var c = 0; c < s_credentials.Length; c++)
        {
            var (probe, bodyVerbs) = s_credentials[c];
            foreach (var r in probe.Requests(space.Identities, space.Namespaces, space.Names))
            {
                var index = resolver.MatchIndex(r);
                if (index < 0 || found.ContainsKey((index, c)))
                {
                    continue;
                }

                var level = policy.Rules[index].Level;
                if (level == AuditLevels.RequestResponse || (level == AuditLevels.Request && bodyVerbs.Contains(r.Verb)))
                {
                    found[(index, c)] = (level, r.ToString());
                }
            }
        }

        foreach (var ((index, c), (level, example)) in found)
        {
            var label = s_credentials[c].Probe.Label;
            var what = level == AuditLevels.RequestResponse ? "request and response bodies" : "request bodies";
            yield return Findings.Warn(
                PolicyFindingCodes.CredentialBodies,
                $"rules[{index}].level",
                $"rules[{index}].level: {level} records the {what} of {label}, which carry credentials (e.g. {example})",
                $"Log {label} at Metadata with a rule placed before rules[{index}].",
                policy,
                policy.Rules[index]);
        }
    }

    /// <summary>KA2006: high-volume read-only traffic logged above Metadata.</summary>
    public static IEnumerable<PolicyFinding> HighVolume(AuditPolicy policy, LevelResolver resolver, ProbeSpace space)
    {
        var found = new SortedDictionary<(int Rule, int Class), (string Level, string Example)>();
        for (var c = 0; c < s_highVolume.Length; c++)
        {
            foreach (var r in s_highVolume[c].Requests(space.Identities, space.Namespaces, [ProbeSpace.ProbeName]))
            {
                Record(r, c);
            }
        }

        var health = new AuditRequest { Verb = "get" };
        foreach (var id in space.Identities)
        {
            health.User = id.User;
            health.Groups = id.Groups;
            foreach (var path in s_healthPaths)
            {
                health.Path = path;
                Record(health, s_highVolume.Length);
            }
        }

        foreach (var ((index, c), (level, example)) in found)
        {
            var resource = c < s_highVolume.Length;
            var label = resource ? "get/list/watch of " + s_highVolume[c].Label : "health checks (/healthz, /livez, /readyz)";

            // Only response bodies of reads add volume; a read has no request body, and non-resource
            // requests never have bodies logged, so anything else above Metadata records no more than it.
            var why = level == AuditLevels.RequestResponse && resource
                ? "it records the response bodies of this high-volume read-only traffic"
                : resource ? "this high-volume read-only traffic has no request body, so it records no more than Metadata would"
                : "non-resource requests never have bodies logged, so it records no more than Metadata would";
            yield return Findings.Warn(
                PolicyFindingCodes.HighVolume,
                $"rules[{index}].level",
                $"rules[{index}].level: {level} for {label}: {why} (e.g. {example})",
                $"Add a rule before rules[{index}] that logs them at Metadata or None.",
                policy,
                policy.Rules[index]);
        }

        void Record(AuditRequest r, int c)
        {
            var index = resolver.MatchIndex(r);
            if (index >= 0 && !found.ContainsKey((index, c)) && AuditLevels.Ordinal(policy.Rules[index].Level) > AuditLevels.Ordinal(AuditLevels.Metadata))
            {
                found[(index, c)] = (policy.Rules[index].Level!, r.ToString());
            }
        }
    }

    /// <summary>KA2008–KA2010: requests every audit trail needs that resolve to None.</summary>
    public static IEnumerable<PolicyFinding> MissingCoverage(AuditPolicy policy, LevelResolver resolver)
    {
        string[] namespaces = ["default", "kube-system", ProbeSpace.FreshNamespace];
        foreach (var (code, probes) in s_mustLog)
        {
            var finding = FirstUnlogged(probes);
            if (finding is { } f)
            {
                yield return f;
            }

            PolicyFinding? FirstUnlogged(ResourceProbe[] candidates)
            {
                foreach (var probe in candidates)
                {
                    foreach (var r in probe.Requests([ProbeSpace.Generic], namespaces, [ProbeSpace.ProbeName]))
                    {
                        var index = resolver.MatchIndex(r);
                        if (index >= 0 && policy.Rules[index].Level != AuditLevels.None)
                        {
                            continue;
                        }

                        var rule = index >= 0 ? policy.Rules[index] : null;
                        var why = rule is null ? "no rule matches it" : $"rules[{index}] has level None";
                        return Findings.Warn(
                            code,
                            rule is null ? "rules" : $"rules[{index}].level",
                            $"{(rule is null ? "rules" : $"rules[{index}].level")}: {probe.Label} are not logged: {r} resolves to None ({why})",
                            rule is null
                                ? $"Add a rule that logs {probe.Label} at Metadata or above."
                                : $"Add a rule before rules[{index}] that logs {probe.Label} at Metadata or above.",
                            policy,
                            rule);
                    }
                }

                return null;
            }
        }
    }
}
