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
