namespace KubeAudit.Core.Policy;

/// <summary>
/// Reports exactly what kube-apiserver (1.24 through 1.37) refuses to load: the loader's checks
/// (apiVersion, kind, at least one rule; audit spec §4) and <c>ValidatePolicy</c> (§3), with the
/// API server's field paths and messages.
/// </summary>
public static class PolicyValidator
{
    /// <summary>The newest Kubernetes minor version this validator knows; the default target.</summary>
    public const int LatestMinor = 37;

    /// <summary>The first minor version that accepts <c>group: "*"</c>.</summary>
    public const int WildcardGroupMinor = 36;

    /// <summary>The first minor version that accepts only audit.k8s.io/v1.</summary>
    public const int V1OnlyMinor = 24;

    /// <summary>The only apiVersion 1.24+ accepts.</summary>
    public const string ApiVersionV1 = "audit.k8s.io/v1";

    private const string AllowedStages = "allowed stages are RequestReceived,ResponseStarted,ResponseComplete,Panic";

    /// <summary>
    /// Everything the API server's policy loader rejects: apiVersion, kind, the field checks of
    /// <see cref="ValidatePolicy"/>, then a policy without rules.
    /// </summary>
    /// <param name="policy">The policy as read.</param>
    /// <param name="targetMinor">The cluster's Kubernetes minor version (1.x); null means the latest.</param>
    public static IReadOnlyList<PolicyFinding> Validate(AuditPolicy policy, int? targetMinor = null)
    {
        ArgumentNullException.ThrowIfNull(policy);
        var minor = targetMinor ?? LatestMinor;
        var findings = new List<PolicyFinding>();
        CheckApiVersion(policy, minor, findings);
        CheckKind(policy, findings);
        findings.AddRange(ValidatePolicy(policy, targetMinor));
        if (policy.Rules.Length == 0)
        {
            findings.Add(Findings.Rejected(
                PolicyFindingCodes.NoRules,
                "rules",
                "rules: loaded illegal policy with 0 rules",
                "Add at least one rule, e.g. '- level: Metadata'.",
                policy,
                null));
        }

        return findings;
    }

    /// <summary>
    /// The API server's <c>ValidatePolicy</c> alone (validation.go): it accepts a policy without rules,
    /// and does not look at apiVersion or kind. Findings come in the API server's order.
    /// </summary>
    public static IReadOnlyList<PolicyFinding> ValidatePolicy(AuditPolicy policy, int? targetMinor = null)
    {
        ArgumentNullException.ThrowIfNull(policy);
        var minor = targetMinor ?? LatestMinor;
        var findings = new List<PolicyFinding>();
        CheckOmitStages(policy.OmitStages, "omitStages", policy, null, findings);
        foreach (var rule in policy.Rules)
        {
            var path = $"rules[{rule.Index}]";
            CheckLevel(rule, path + ".level", policy, findings);
            CheckNonResourceUrls(rule, path + ".nonResourceURLs", policy, findings);
            CheckResources(rule, path + ".resources", minor, policy, findings);
            CheckOmitStages(rule.OmitStages, path + ".omitStages", policy, rule, findings);
            if (rule.NonResourceURLs.Length > 0 && (rule.Resources.Length > 0 || rule.Namespaces.Length > 0))
            {
                findings.Add(Findings.Rejected(
                    PolicyFindingCodes.MixedResourceAndNonResource,
                    path + ".nonResourceURLs",
                    GoFormat.Invalid(path + ".nonResourceURLs", rule.NonResourceURLs, "rules cannot apply to both regular resources and non-resource URLs"),
                    "Split it into two rules: one with resources/namespaces, one with nonResourceURLs.",
                    policy,
                    rule));
            }
        }

        return findings;
    }

    /// <summary>
    /// The error text the API server would print for these findings: its aggregate of the distinct
    /// messages of rejected findings (one message plain, several as <c>[a, b]</c>); null when it loads.
    /// </summary>
    public static string? ApiServerError(IEnumerable<PolicyFinding> findings)
    {
        var messages = findings.Where(f => f.RejectedByApiServer).Select(f => f.Message).Distinct(StringComparer.Ordinal).ToList();
        return messages.Count switch
        {
            0 => null,
            1 => messages[0],
            _ => "[" + string.Join(", ", messages) + "]",
        };
    }

    private static void CheckApiVersion(AuditPolicy policy, int minor, List<PolicyFinding> findings)
    {
        const string hint = "Set apiVersion: audit.k8s.io/v1 (the only version kube-apiserver 1.24 and later accepts).";
        switch (policy.ApiVersion)
        {
            case ApiVersionV1:
                return;

            case null or "":
                // The decoder falls back to the internal version, which the loader then refuses (§4).
                findings.Add(Findings.Rejected(
                    PolicyFindingCodes.ApiVersion,
                    "apiVersion",
                    "apiVersion: Required value: the API server fails with \"unknown group version field audit.k8s.io/__internal, Kind=Policy in policy\"",
                    hint,
                    policy,
                    null));
                return;

            case "audit.k8s.io/v1beta1" or "audit.k8s.io/v1alpha1" when minor < V1OnlyMinor:
                findings.Add(Findings.Warn(
                    PolicyFindingCodes.DeprecatedApiVersion,
                    "apiVersion",
                    $"apiVersion: {policy.ApiVersion} is deprecated since Kubernetes 1.21 and removed in 1.24; the policy stops loading after an upgrade",
                    hint,
                    policy,
                    null));
                return;

            case "audit.k8s.io/v1beta1" or "audit.k8s.io/v1alpha1":
                findings.Add(Findings.Rejected(
                    PolicyFindingCodes.ApiVersion,
                    "apiVersion",
                    $"apiVersion: Unsupported value: {GoFormat.Quote(policy.ApiVersion)}: supported values: \"{ApiVersionV1}\" ({policy.ApiVersion} was removed in Kubernetes 1.24; the API server fails to decode the policy)",
                    hint,
                    policy,
                    null));
                return;

            default:
                findings.Add(Findings.Rejected(
                    PolicyFindingCodes.ApiVersion,
                    "apiVersion",
                    $"apiVersion: Unsupported value: {GoFormat.Quote(policy.ApiVersion)}: supported values: \"{ApiVersionV1}\" (the API server fails to decode the policy)",
                    hint,
                    policy,
                    null));
                return;
        }
    }

    private static void CheckKind(AuditPolicy policy, List<PolicyFinding> findings)
    {
        // An absent kind is inferred from the target type, so only a different kind fails.
        if (policy.Kind is null or "" or "Policy")
        {
            return;
        }

        findings.Add(Findings.Rejected(
            PolicyFindingCodes.Kind,
            "kind",
            $"kind: Unsupported value: {GoFormat.Quote(policy.Kind)}: supported values: \"Policy\"",
            "Set kind: Policy.",
            policy,
            null));
    }

    private static void CheckLevel(AuditPolicyRule rule, string path, AuditPolicy policy, List<PolicyFinding> findings)
    {
        if (AuditLevels.IsValid(rule.Level))
        {
            return;
        }

        if (string.IsNullOrEmpty(rule.Level))
        {
            findings.Add(Findings.Rejected(PolicyFindingCodes.LevelRequired, path, GoFormat.Required(path), "Set level: None, Metadata, Request or RequestResponse.", policy, rule));
            return;
        }

        var fix = AuditLevels.All.FirstOrDefault(l => string.Equals(l, rule.Level, StringComparison.OrdinalIgnoreCase));
        findings.Add(Findings.Rejected(
            PolicyFindingCodes.LevelUnsupported,
            path,
            GoFormat.NotSupported(path, rule.Level, AuditLevels.All),
            fix is null ? "Use None, Metadata, Request or RequestResponse (case-sensitive)." : $"Levels are case-sensitive: write {fix}.",
            policy,
            rule));
    }

    private static void CheckNonResourceUrls(AuditPolicyRule rule, string path, AuditPolicy policy, List<PolicyFinding> findings)
    {
        for (var j = 0; j < rule.NonResourceURLs.Length; j++)
        {
            var url = rule.NonResourceURLs[j];
            var at = $"{path}[{j}]";
            if (url == "*")
            {
                continue;
            }

            if (!url.StartsWith('/'))
            {
                findings.Add(Findings.Rejected(
                    PolicyFindingCodes.NonResourceUrlSlash,
                    at,
                    GoFormat.Invalid(at, url, "non-resource URL rules must begin with a '/' character"),
                    url.Length == 0 ? "Remove the empty entry." : $"Start it with '/': \"/{url}\".",
                    policy,
                    rule));
            }

            if (url.Length > 0 && url.AsSpan(0, url.Length - 1).Contains('*'))
            {
                findings.Add(Findings.Rejected(
                    PolicyFindingCodes.NonResourceUrlWildcard,
                    at,
                    GoFormat.Invalid(at, url, "non-resource URL wildcards '*' must be the final character of the rule"),
                    $"Put '*' only at the end, e.g. \"{url[..url.IndexOf('*')]}*\".",
                    policy,
                    rule));
            }
        }
    }

    private static void CheckResources(AuditPolicyRule rule, string path, int minor, AuditPolicy policy, List<PolicyFinding> findings)
    {
        foreach (var gr in rule.Resources)
        {
            var group = gr.Group ?? string.Empty;
            if (group.Length != 0 && !(group == "*" && minor >= WildcardGroupMinor))
            {
                var errors = Dns1123.SubdomainErrors(group);
                if (errors.Count > 0)
                {
                    findings.Add(Findings.Rejected(
                        PolicyFindingCodes.GroupInvalid,
                        path + ".group",
                        GoFormat.Invalid(path + ".group", group, string.Join(",", errors)),
                        GroupHint(group),
                        policy,
                        rule));
                }
            }

            if (gr.ResourceNames.Length > 0 && gr.Resources.Length == 0)
            {
                findings.Add(Findings.Rejected(
                    PolicyFindingCodes.ResourceNamesWithoutResources,
                    path + ".resourceNames",
                    GoFormat.Invalid(path + ".resourceNames", gr.ResourceNames, "using resourceNames requires at least one resource"),
                    "Add the resources the names belong to, or remove resourceNames.",
                    policy,
                    rule));
            }
        }
    }

    private static string GroupHint(string group)
    {
        if (group == "*")
        {
            return $"group: \"*\" needs Kubernetes 1.{WildcardGroupMinor} or later; list the groups instead.";
        }

        var slash = group.IndexOf('/');
        if (slash >= 0)
        {
            return $"Write the group without its version: \"{group[..slash]}\".";
        }

        return group.Any(char.IsUpper)
            ? $"API group names are lower case: \"{group.ToLowerInvariant()}\"."
            : "Use the API group name, e.g. \"apps\" or \"rbac.authorization.k8s.io\"; \"\" is the core group.";
    }

    private static void CheckOmitStages(string[] stages, string path, AuditPolicy policy, AuditPolicyRule? rule, List<PolicyFinding> findings)
    {
        for (var j = 0; j < stages.Length; j++)
        {
            if (AuditStages.IsValid(stages[j]))
            {
                continue;
            }

            var at = $"{path}[{j}]";
            var fix = AuditStages.All.FirstOrDefault(s => string.Equals(s, stages[j], StringComparison.OrdinalIgnoreCase));
            findings.Add(Findings.Rejected(
                PolicyFindingCodes.OmitStageInvalid,
                at,
                GoFormat.Invalid(at, stages[j], AllowedStages),
                fix is null ? "Use RequestReceived, ResponseStarted, ResponseComplete or Panic (case-sensitive)." : $"Stages are case-sensitive: write {fix}.",
                policy,
                rule));
        }
    }
}
