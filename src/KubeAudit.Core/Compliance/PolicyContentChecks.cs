using KubeAudit.Core.Policy;

namespace KubeAudit.Core.Compliance;

/// <summary>
/// CIS 3.2.2, "the audit policy covers key security concerns", judged as the API server would: each
/// concern becomes concrete requests, and the policy's first-match evaluator (the one behind
/// Resolve-KubeAuditLevel) says what it logs for them. A static "is the resource mentioned" scan
/// misses rule order and catch-alls; evaluation does not.
/// </summary>
internal static class PolicyContentChecks
{
    private static readonly string[] s_reads = ["get", "list", "watch"];
    private static readonly string[] s_changes = ["create", "update", "patch", "delete"];
    private static readonly string[] s_all = [.. s_reads, .. s_changes];
    private static readonly string[] s_podSubresources = ["exec", "attach", "portforward"];
    private static readonly string[] s_podAccessVerbs = ["create", "get"];

    public static IEnumerable<ComplianceCheck> Evaluate(ComplianceContext context)
    {
        var o = context.Options;
        var resolver = Resolver(context, out var reason);
        if (resolver is null)
        {
            foreach (var name in new[] { CheckNames.PolicyCredentialsAtMetadata, CheckNames.PolicyPodAccessLogged, CheckNames.PolicyRbacChangesLogged, CheckNames.PolicyWorkloadChangesLogged, CheckNames.PolicyHasCatchAll })
            {
                yield return CheckFactory.Make(o, name, CheckFactory.Skipped, reason!);
            }

            yield break;
        }

        yield return Exactly(o, resolver, CheckNames.PolicyCredentialsAtMetadata, AuditLevels.Metadata,
        [
            .. PolicyProbe.Each(s_all, string.Empty, ["secrets"], "default"),
            .. PolicyProbe.Each(s_all, string.Empty, ["configmaps"], "kube-system"),
            PolicyProbe.Resource("create", "authentication.k8s.io", "tokenreviews", string.Empty),
        ]);

        yield return Logged(o, resolver, CheckNames.PolicyPodAccessLogged,
        [
            .. from sub in s_podSubresources
               from verb in s_podAccessVerbs
               select PolicyProbe.Resource(verb, string.Empty, "pods", "default", sub),
        ]);

        yield return Logged(o, resolver, CheckNames.PolicyRbacChangesLogged,
        [
            .. PolicyProbe.Each(s_changes, "rbac.authorization.k8s.io", ["roles", "rolebindings"], "default"),
            .. PolicyProbe.Each(s_changes, "rbac.authorization.k8s.io", ["clusterroles", "clusterrolebindings"], string.Empty),
        ]);

        yield return Logged(o, resolver, CheckNames.PolicyWorkloadChangesLogged,
        [
            .. PolicyProbe.Each(s_changes, string.Empty, ["pods"], "default"),
            .. PolicyProbe.Each(s_changes, "apps", ["deployments"], "default"),
        ]);

        yield return CatchAll(o, resolver);
    }

    private static LevelResolver? Resolver(ComplianceContext context, out string? reason)
    {
        reason = null;
        if (context.PolicyCheck is { Policy: { } policy } check && check.AcceptedByApiServer)
        {
            return new LevelResolver(policy);
        }

        reason = context.PolicyPath is null
            ? $"No policy to judge: {(context.Config is null ? context.ManifestError : "--audit-policy-file is not set and no policy file was given")}."
            : context.PolicyCheck is null
                ? $"No policy to judge: the policy file {context.PolicySource} does not exist."
                : $"No policy to judge: kube-apiserver would not load {context.PolicyPath} (see the audit policy file check).";
        return null;
    }

    private static ComplianceCheck Exactly(ComplianceOptions o, LevelResolver resolver, string name, string level, PolicyProbe[] probes)
    {
        var decisions = probes.Select(p => (Probe: p, Decision: resolver.Resolve(p.Request))).ToList();
        var wrong = decisions.Where(d => d.Decision.Level != level).ToList();
        return wrong.Count == 0
            ? CheckFactory.Make(o, name, CheckFactory.Passed, $"All {probes.Length} requests ({Summary(probes)}) are logged at {level}, by {Rules(decisions.Select(d => d.Decision))}.")
            : CheckFactory.Make(o, name, CheckFactory.Failed, $"Expected {level}, but {Describe(wrong)}.");
    }

    private static ComplianceCheck Logged(ComplianceOptions o, LevelResolver resolver, string name, PolicyProbe[] probes)
    {
        var decisions = probes.Select(p => (Probe: p, Decision: resolver.Resolve(p.Request))).ToList();
        var dropped = decisions.Where(d => d.Decision.Level == AuditLevels.None).ToList();
        return dropped.Count == 0
            ? CheckFactory.Make(o, name, CheckFactory.Passed, $"All {probes.Length} requests ({Summary(probes)}) are logged ({Levels(decisions.Select(d => d.Decision))}), by {Rules(decisions.Select(d => d.Decision))}.")
            : CheckFactory.Make(o, name, CheckFactory.Failed, $"Not logged: {Describe(dropped)}.");
    }

    private static ComplianceCheck CatchAll(ComplianceOptions o, LevelResolver resolver)
    {
        // Requests few policies name: a custom resource, a cluster-scoped read, a discovery call.
        PolicyProbe[] probes =
        [
            PolicyProbe.Resource("create", "example.com", "widgets", "default"),
            PolicyProbe.Resource("delete", "example.com", "widgets", "default"),
            PolicyProbe.Resource("list", string.Empty, "nodes", string.Empty),
            PolicyProbe.Resource("create", string.Empty, "namespaces", string.Empty),
            PolicyProbe.Resource("update", "networking.k8s.io", "networkpolicies", "default"),
            PolicyProbe.NonResource("get", "/apis"),
        ];
        var unmatched = probes.Where(p => resolver.MatchIndex(p.Request) < 0).ToList();
        if (unmatched.Count == 0)
        {
            var decisions = probes.Select(p => resolver.Resolve(p.Request));
            return CheckFactory.Make(o, CheckNames.PolicyHasCatchAll, CheckFactory.Passed,
                $"Every probe request ({Summary(probes)}) is matched by a rule, so nothing is dropped by default: {Rules(decisions)}.");
        }

        return CheckFactory.Make(o, CheckNames.PolicyHasCatchAll, CheckFactory.Failed,
            $"No rule matches {string.Join(", ", unmatched.Select(p => p.Text))}: such requests are dropped without any rule saying so. " +
            "End the policy with a catch-all rule, e.g. '- level: Metadata'.");
    }

    private static string Describe(List<(PolicyProbe Probe, AuditLevelDecision Decision)> wrong)
    {
        // One line per distinct outcome keeps the evidence short when a rule misses many verbs.
        var groups = wrong.GroupBy(w => Decided(w.Decision)).Select(g => $"{Summary([.. g.Select(w => w.Probe)])} {(g.Count() == 1 ? "gives" : "give")} {g.Key}");
        return string.Join("; ", groups);
    }

    private static string Decided(AuditLevelDecision d) =>
        d.RuleIndex is { } i ? $"{d.Level} (rules[{i}], line {d.RuleLine})" : "None (no rule matches)";

    private static string Rules(IEnumerable<AuditLevelDecision> decisions) =>
        string.Join(", ", decisions.Where(d => d.RuleIndex is not null).Select(d => $"rules[{d.RuleIndex}] (line {d.RuleLine})").Distinct());

    private static string Levels(IEnumerable<AuditLevelDecision> decisions) =>
        string.Join("/", decisions.Select(d => d.Level).Distinct().OrderBy(AuditLevels.Ordinal));

    private static string Summary(PolicyProbe[] probes)
    {
        // "get/list/... secrets in default" rather than every request spelled out.
        var byTarget = probes.GroupBy(p => TargetOf(p.Text)).Select(g => $"{string.Join("/", g.Select(p => p.Text.Split(' ')[0]).Distinct())} {g.Key}");
        return string.Join("; ", byTarget);
    }

    private static string TargetOf(string text) => text[(text.IndexOf(' ') + 1)..];
}
