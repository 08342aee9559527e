namespace KubeAudit;

/// <summary>One rule of an audit policy. Fields are ANDed; entries within a list are ORed; an empty list matches everything.</summary>
public sealed class AuditPolicyRule
{
    /// <summary>0-based position in the policy.</summary>
    public int Index { get; internal set; }

    /// <summary>None, Metadata, Request or RequestResponse.</summary>
    public string? Level { get; internal set; }

    /// <summary>Authenticated user names (exact).</summary>
    public string[] Users { get; internal set; } = [];

    /// <summary>User groups; any one matches.</summary>
    public string[] UserGroups { get; internal set; } = [];

    /// <summary>Verbs (exact; no wildcard).</summary>
    public string[] Verbs { get; internal set; } = [];

    /// <summary>Resources by API group.</summary>
    public GroupResources[] Resources { get; internal set; } = [];

    /// <summary>Namespaces; <c>""</c> matches cluster-scoped resources.</summary>
    public string[] Namespaces { get; internal set; } = [];

    /// <summary>Non-resource URL paths; <c>*</c> only as the last character.</summary>
    public string[] NonResourceURLs { get; internal set; } = [];

    /// <summary>Stages omitted for requests this rule matches (added to the policy's).</summary>
    public string[] OmitStages { get; internal set; } = [];

    /// <summary>Overrides the policy's OmitManagedFields when set.</summary>
    public bool? OmitManagedFields { get; internal set; }

    /// <summary>1-based line of the rule in its file.</summary>
    public int Line { get; internal set; }

    /// <summary>1-based column of the rule in its file.</summary>
    public int Column { get; internal set; }

    /// <inheritdoc />
    public override string ToString() => $"rules[{Index}] {Level}";
}
