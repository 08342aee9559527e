using KubeAudit.Core.Diagnostics;

namespace KubeAudit.Core.Rbac;

/// <summary>The RBAC objects of one or more files, and one diagnostic per document that could not be used.</summary>
public sealed class RbacReadResult
{
    /// <summary>Roles and ClusterRoles.</summary>
    public List<RbacRole> Roles { get; } = [];

    /// <summary>RoleBindings and ClusterRoleBindings.</summary>
    public List<RbacBinding> Bindings { get; } = [];

    /// <summary>Documents left out, with why.</summary>
    public List<Diagnostic> Diagnostics { get; } = [];
}
