namespace KubeAudit.Core.Rbac;

/// <summary>Names of the rbac.authorization.k8s.io/v1 API.</summary>
public static class RbacObject
{
    /// <summary>The RBAC API group.</summary>
    public const string RbacGroup = "rbac.authorization.k8s.io";

    /// <summary>The apiVersion written.</summary>
    public const string ApiVersion = RbacGroup + "/v1";

    /// <summary>Kind Role.</summary>
    public const string Role = "Role";

    /// <summary>Kind ClusterRole.</summary>
    public const string ClusterRole = "ClusterRole";

    /// <summary>Kind RoleBinding.</summary>
    public const string RoleBinding = "RoleBinding";

    /// <summary>Kind ClusterRoleBinding.</summary>
    public const string ClusterRoleBinding = "ClusterRoleBinding";
}
