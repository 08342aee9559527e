namespace KubeAudit.Core.Policy;

/// <summary>
/// One policy rule turned into matchers once, so evaluating a request only compares strings
/// (checker.go <c>ruleMatches</c>, audit spec §2.3–2.5). Null matchers mean "any".
/// </summary>
internal sealed class CompiledRule
{
    private readonly OrdinalSet? _users;
    private readonly OrdinalSet? _groups;
    private readonly OrdinalSet? _verbs;
    private readonly OrdinalSet? _namespaces;
    private readonly CompiledGroupResources[]? _resources;
    private readonly NonResourceMatcher? _nonResource;

    public CompiledRule(AuditPolicyRule rule, AuditPolicy policy)
    {
        Rule = rule;
        _users = OrdinalSet.OrAny(rule.Users);
        _groups = OrdinalSet.OrAny(rule.UserGroups);
        _verbs = OrdinalSet.OrAny(rule.Verbs);

        // namespaces or resources make it a resource rule; nonResourceURLs are then never consulted.
        if (rule.Namespaces.Length > 0 || rule.Resources.Length > 0)
        {
            Kind = RuleKind.Resource;
            _namespaces = OrdinalSet.OrAny(rule.Namespaces);
            _resources = rule.Resources.Length == 0 ? null : rule.Resources.Select(g => new CompiledGroupResources(g)).ToArray();
        }
        else if (rule.NonResourceURLs.Length > 0)
        {
            Kind = RuleKind.NonResource;
            _nonResource = new NonResourceMatcher(rule.NonResourceURLs);
        }
        else
        {
            Kind = RuleKind.Any;
        }

        Level = rule.Level ?? string.Empty;
        OmitStages = AuditStages.Union(policy.OmitStages, rule.OmitStages);
        OmitManagedFields = rule.OmitManagedFields ?? policy.OmitManagedFields;
    }

    public AuditPolicyRule Rule { get; }

    public RuleKind Kind { get; }

    public string Level { get; }

    public string[] OmitStages { get; }

    public bool OmitManagedFields { get; }

    public bool Matches(AuditRequest r)
    {
        if (_users is not null && (r.User is null || !_users.Contains(r.User)))
        {
            return false;
        }

        if (_groups is not null && (r.User is null || !_groups.ContainsAny(r.Groups)))
        {
            return false;
        }

        if (_verbs is not null && !_verbs.Contains(r.Verb))
        {
            return false;
        }

        return Kind switch
        {
            RuleKind.Resource => MatchesResource(r),
            RuleKind.NonResource => !r.IsResourceRequest && _nonResource!.Matches(r.Path),
            _ => true,
        };
    }

    private bool MatchesResource(AuditRequest r)
    {
        if (!r.IsResourceRequest)
        {
            return false;
        }

        if (_namespaces is not null && !_namespaces.Contains(r.Namespace))
        {
            return false;
        }

        if (_resources is null)
        {
            return true;
        }

        foreach (var gr in _resources)
        {
            if (gr.Matches(r))
            {
                return true;
            }
        }

        return false;
    }
}

/// <summary>Which branch of <c>ruleMatches</c> a rule takes.</summary>
internal enum RuleKind
{
    /// <summary>No namespaces, resources or nonResourceURLs: every request.</summary>
    Any,

    /// <summary>namespaces or resources set: resource requests only.</summary>
    Resource,

    /// <summary>Only nonResourceURLs set: non-resource requests only.</summary>
    NonResource,
}
