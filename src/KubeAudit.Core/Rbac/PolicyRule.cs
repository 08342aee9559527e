namespace KubeAudit.Core.Rbac;

/// <summary>One rule of a Role or ClusterRole (rbac.authorization.k8s.io/v1 PolicyRule).</summary>
public sealed class PolicyRule
{
    /// <summary>Verbs; <c>*</c> is every verb.</summary>
    public IReadOnlyList<string> Verbs { get; init; } = [];

    /// <summary>API groups; <c>""</c> is the core group, <c>*</c> every group.</summary>
    public IReadOnlyList<string> ApiGroups { get; init; } = [];

    /// <summary>Resources, <c>resource/subresource</c>, <c>*</c> or <c>*/subresource</c>.</summary>
    public IReadOnlyList<string> Resources { get; init; } = [];

    /// <summary>Object names; empty is any name.</summary>
    public IReadOnlyList<string> ResourceNames { get; init; } = [];

    /// <summary>Non-resource URLs; a trailing <c>*</c> is a prefix.</summary>
    public IReadOnlyList<string> NonResourceUrls { get; init; } = [];

    /// <summary>
    /// The rule as an operator reads it at a glance, kubectl-describe-like: verbs, then group/resource pairs
    /// (the core group bare) with any names in brackets, or the URLs: <c>get,list apps/deployments [web]</c>,
    /// <c>get /metrics</c>. What the RBAC tables show, so Where-Object compares with what is seen.
    /// </summary>
    public string Text
    {
        get
        {
            var parts = new List<string> { string.Join(",", Verbs) };
            if (Resources.Count > 0)
            {
                var groups = ApiGroups.Count > 0 ? ApiGroups : [string.Empty];
                parts.Add(string.Join(",", groups.SelectMany(g => Resources.Select(r => g.Length == 0 ? r : g + "/" + r))));
            }
            if (ResourceNames.Count > 0)
            {
                parts.Add("[" + string.Join(",", ResourceNames) + "]");
            }
            if (NonResourceUrls.Count > 0)
            {
                parts.Add(string.Join(",", NonResourceUrls));
            }
            return string.Join(" ", parts.Where(p => p.Length > 0));
        }
    }

    /// <summary>A compact form, as kube-apiserver's CompactString writes it.</summary>
    public override string ToString()
    {
        var parts = new List<string>();
        Add(parts, "APIGroups", ApiGroups);
        Add(parts, "Resources", Resources);
        Add(parts, "NonResourceURLs", NonResourceUrls);
        Add(parts, "ResourceNames", ResourceNames);
        Add(parts, "Verbs", Verbs);
        return "{" + string.Join(", ", parts) + "}";
    }

    private static void Add(List<string> parts, string name, IReadOnlyList<string> values)
    {
        if (values.Count > 0)
        {
            parts.Add(name + ":[" + string.Join(" ", values.Select(v => "\"" + v + "\"")) + "]");
        }
    }
}
