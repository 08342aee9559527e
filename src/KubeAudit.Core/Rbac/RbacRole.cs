namespace KubeAudit.Core.Rbac;

/// <summary>A Role (namespaced) or ClusterRole with its rules.</summary>
public sealed class RbacRole
{
    /// <summary>Role or ClusterRole.</summary>
    public string Kind { get; init; } = RbacObject.Role;

    /// <summary>metadata.name.</summary>
    public string Name { get; init; } = string.Empty;

    /// <summary>metadata.namespace; "" for a ClusterRole.</summary>
    public string Namespace { get; init; } = string.Empty;

    /// <summary>metadata.labels.</summary>
    public IReadOnlyDictionary<string, string> Labels { get; init; } = new SortedDictionary<string, string>(StringComparer.Ordinal);

    /// <summary>metadata.annotations.</summary>
    public IReadOnlyDictionary<string, string> Annotations { get; init; } = new SortedDictionary<string, string>(StringComparer.Ordinal);

    /// <summary>The rules.</summary>
    public IReadOnlyList<PolicyRule> Rules { get; set; } = [];

    /// <summary>aggregationRule.clusterRoleSelectors (ClusterRoles only); null when there is no aggregationRule.</summary>
    public IReadOnlyList<LabelSelector>? AggregationSelectors { get; init; }

    /// <summary>The file it was read from, if any.</summary>
    public string? File { get; init; }

    /// <summary>The line of its document in that file.</summary>
    public long Line { get; init; }

    /// <summary>True for a ClusterRole.</summary>
    public bool IsClusterRole => Kind == RbacObject.ClusterRole;

    /// <inheritdoc />
    public override string ToString() => Namespace.Length > 0 ? $"{Kind} {Namespace}/{Name}" : $"{Kind} {Name}";
}
