namespace KubeAudit.Core.Rbac;

/// <summary>Diagnostic codes of RBAC input (kept here so the shared code list stays untouched).</summary>
public static class RbacDiagnosticCodes
{
    /// <summary>A document that is not a Role, ClusterRole, RoleBinding, ClusterRoleBinding or a List of them.</summary>
    public const string NotAnRbacObject = nameof(NotAnRbacObject);

    /// <summary>An RBAC object with a field of the wrong shape; the object is left out.</summary>
    public const string InvalidRbacObject = nameof(InvalidRbacObject);
}
