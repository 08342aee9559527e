namespace KubeAudit.Core.Rbac;

/// <summary>A RoleBinding or ClusterRoleBinding: subjects given the rules of one role.</summary>
public sealed class RbacBinding
{
    /// <summary>RoleBinding or ClusterRoleBinding.</summary>
    public string Kind { get; init; } = RbacObject.RoleBinding;

    /// <summary>metadata.name.</summary>
    public string Name { get; init; } = string.Empty;

    /// <summary>metadata.namespace; "" for a ClusterRoleBinding.</summary>
    public string Namespace { get; init; } = string.Empty;

    /// <summary>metadata.labels.</summary>
    public IReadOnlyDictionary<string, string> Labels { get; init; } = new SortedDictionary<string, string>(StringComparer.Ordinal);

    /// <summary>metadata.annotations.</summary>
    public IReadOnlyDictionary<string, string> Annotations { get; init; } = new SortedDictionary<string, string>(StringComparer.Ordinal);

    /// <summary>roleRef.kind: Role or ClusterRole.</summary>
    public string RoleKind { get; init; } = RbacObject.Role;

    /// <summary>roleRef.name.</summary>
    public string RoleName { get; init; } = string.Empty;

    /// <summary>The subjects.</summary>
    public IReadOnlyList<RbacSubject> Subjects { get; init; } = [];

    /// <summary>The file it was read from, if any.</summary>
    public string? File { get; init; }

    /// <summary>The line of its document in that file.</summary>
    public long Line { get; init; }

    /// <inheritdoc />
    public override string ToString() => Namespace.Length > 0 ? $"{Kind} {Namespace}/{Name}" : $"{Kind} {Name}";
}
