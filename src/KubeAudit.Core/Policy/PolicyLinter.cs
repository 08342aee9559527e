using System.Text.RegularExpressions;

namespace KubeAudit.Core.Policy;

/// <summary>
/// Warnings (KA2xxx) about policies kube-apiserver accepts but that are wrong or dangerous:
/// credentials in logged bodies, '*' where the API server has no wildcard, unreachable rules,
/// requests nobody logs, noisy traffic logged in full.
/// </summary>
public static partial class PolicyLinter
{
    private static readonly (string Field, string Things)[] s_literalFields =
    [
        ("users", "user"), ("userGroups", "group"), ("verbs", "verb"), ("namespaces", "namespace"),
    ];

    /// <summary>The warnings for <paramref name="policy"/>, by rule.</summary>
    public static IReadOnlyList<PolicyFinding> Lint(AuditPolicy policy) => Lint(policy, CancellationToken.None);

    /// <summary>The warnings for <paramref name="policy"/>; <paramref name="cancel"/> stops it (OperationCanceledException).</summary>
    public static IReadOnlyList<PolicyFinding> Lint(AuditPolicy policy, CancellationToken cancel)
    {
        ArgumentNullException.ThrowIfNull(policy);
        var findings = new List<PolicyFinding>();
        if (policy.Rules.Length == 0)
        {
            // Nothing is logged at all; the validator reports it as an error.
            return findings;
        }

        var resolver = new LevelResolver(policy);
        var space = ProbeSpace.From(policy);
        findings.AddRange(LiteralWildcards(policy));
        findings.AddRange(GroupVersions(policy));
        findings.AddRange(ShadowedRules(policy, cancel));
        cancel.ThrowIfCancellationRequested();
        findings.AddRange(ProbeChecks.CredentialBodies(policy, resolver, space));
        cancel.ThrowIfCancellationRequested();
        findings.AddRange(ProbeChecks.HighVolume(policy, resolver, space));
        cancel.ThrowIfCancellationRequested();
        findings.AddRange(ProbeChecks.MissingCoverage(policy, resolver));
        if (NoCatchAll(policy, resolver) is { } catchAll)
        {
            findings.Add(catchAll);
        }

        if (RequestReceivedLogged(policy) is { } stage)
        {
            findings.Add(stage);
        }

        return Findings.Sort(findings);
    }

    // KA2002: users, userGroups, verbs, namespaces and resourceNames have no wildcards.
    private static IEnumerable<PolicyFinding> LiteralWildcards(AuditPolicy policy)
    {
        foreach (var rule in policy.Rules)
        {
            foreach (var (field, thing) in s_literalFields)
            {
                var values = field switch
                {
                    "users" => rule.Users,
                    "userGroups" => rule.UserGroups,
                    "verbs" => rule.Verbs,
                    _ => rule.Namespaces,
                };
                for (var j = 0; j < values.Length; j++)
                {
                    if (values[j].Contains('*'))
                    {
                        yield return Literal(policy, rule, $"rules[{rule.Index}].{field}[{j}]", field, thing, values[j]);
                    }
                }
            }

            for (var k = 0; k < rule.Resources.Length; k++)
            {
                var names = rule.Resources[k].ResourceNames;
                for (var j = 0; j < names.Length; j++)
                {
                    if (names[j].Contains('*'))
                    {
                        yield return Literal(policy, rule, $"rules[{rule.Index}].resources[{k}].resourceNames[{j}]", "resourceNames", "object", names[j]);
                    }
                }
            }
        }
    }

    private static PolicyFinding Literal(AuditPolicy policy, AuditPolicyRule rule, string path, string field, string thing, string value)
    {
        var meaning = value == "*" && field == "namespaces"
            ? "so this rule matches no namespaced request (no namespace can be named \"*\")"
            : $"so it only matches a {thing} named exactly {GoFormat.Quote(value)}";
        return Findings.Warn(
            PolicyFindingCodes.LiteralWildcard,
            path,
            $"{path}: {GoFormat.Quote(value)} is compared literally: the API server has no wildcards in {field}, {meaning}",
            value == "*" ? $"Remove {field} to match every {thing}." : $"List each {thing} by its exact name; {field} takes no patterns.",
            policy,
            rule);
    }

    // KA2005: "apps/v1", "v1" and "core" are not group names.
    private static IEnumerable<PolicyFinding> GroupVersions(AuditPolicy policy)
    {
        foreach (var rule in policy.Rules)
        {
            for (var k = 0; k < rule.Resources.Length; k++)
            {
                var group = rule.Resources[k].Group ?? string.Empty;
                var path = $"rules[{rule.Index}].resources[{k}].group";
                var slash = group.IndexOf('/');
                var (message, hint) =
                    slash >= 0 ? ($"{GoFormat.Quote(group)} is group/version; policies name only the group, so this entry would never match", $"Write group: \"{group[..slash]}\".")
                    : VersionName().IsMatch(group) ? ($"{GoFormat.Quote(group)} is an API version, not a group, so this entry never matches", "The core API group (pods, secrets, ...) is written group: \"\".")
                    : group == "core" ? ("\"core\" is not a group name, so this entry never matches core resources", "The core API group (pods, secrets, ...) is written group: \"\".")
                    : (null, null);
                if (message is not null)
                {
                    yield return Findings.Warn(PolicyFindingCodes.GroupVersion, path, $"{path}: {message}", hint, policy, rule);
                }
            }
        }
    }

    [GeneratedRegex(@"^v[0-9]+((alpha|beta)[0-9]+)?\z")]
    private static partial Regex VersionName();

    // KA2003: a later rule every request of which an earlier rule takes first.
    private static IEnumerable<PolicyFinding> ShadowedRules(AuditPolicy policy, CancellationToken cancel)
    {
        var rules = policy.Rules;
        var index = new ShadowIndex();
        for (var j = 0; j < rules.Length; j++)
        {
            var i = index.FirstCovering(rules, j, cancel);
            if (i >= 0)
            {
                yield return Findings.Warn(
                    PolicyFindingCodes.ShadowedRule,
                    $"rules[{j}]",
                    $"rules[{j}]: unreachable: rules[{i}] (level {rules[i].Level}) comes first and matches every request this rule matches",
                    rules[i].Level == rules[j].Level ? $"Delete rules[{j}]; it changes nothing." : $"Move rules[{j}] before rules[{i}], or delete it.",
                    policy,
                    rules[j]);
            }
        }
    }

    // KA2004: no rule matches everything, shown with a request nothing matches.
    private static PolicyFinding? NoCatchAll(AuditPolicy policy, LevelResolver resolver)
    {
        AuditRequest[] samples =
        [
            new() { User = ProbeSpace.ProbeUser, Groups = [ProbeSpace.Authenticated], Verb = "get", IsResourceRequest = true, ApiGroup = "kubeaudit.example.com", Resource = "widgets", Namespace = ProbeSpace.FreshNamespace, Name = ProbeSpace.ProbeName },
            new() { User = ProbeSpace.ProbeUser, Groups = [ProbeSpace.Authenticated], Verb = "delete", IsResourceRequest = true, ApiGroup = "kubeaudit.example.com", Resource = "gadgets", Name = ProbeSpace.ProbeName },
            new() { User = ProbeSpace.ProbeUser, Groups = [ProbeSpace.Authenticated], Verb = "get", Path = "/kubeaudit-probe" },
            new() { User = null, Verb = "get", IsResourceRequest = true, Resource = "pods", Namespace = "default" },
            new() { User = null, Verb = "post", Path = "/kubeaudit-probe" },
        ];
        var dropped = samples.FirstOrDefault(s => resolver.MatchIndex(s) < 0);
        if (dropped is null)
        {
            return null;
        }

        var last = policy.Rules[^1];
        var finding = Findings.Warn(
            PolicyFindingCodes.NoCatchAll,
            "rules",
            $"rules: no rule matches every request, so requests no rule names are silently not logged (e.g. {dropped} matches no rule)",
            "End the policy with '- level: Metadata' (or '- level: None' to drop the rest on purpose).",
            policy,
            null);
        finding.Line = last.Line;
        finding.Column = last.Column;
        return finding;
    }

    // KA2007: without omitting RequestReceived, every logged request gets an extra event.
    private static PolicyFinding? RequestReceivedLogged(AuditPolicy policy)
    {
        if (policy.OmitStages.Contains(AuditStages.RequestReceived)
            || policy.Rules.All(r => r.Level == AuditLevels.None || r.OmitStages.Contains(AuditStages.RequestReceived)))
        {
            return null;
        }

        return Findings.Warn(
            PolicyFindingCodes.RequestReceivedNotOmitted,
            "omitStages",
            "omitStages: RequestReceived is not omitted, so each logged request also writes a RequestReceived event that adds little to its ResponseComplete event (about twice the volume)",
            "Add 'omitStages: [\"RequestReceived\"]' at the top level of the policy.",
            policy,
            null);
    }
}
