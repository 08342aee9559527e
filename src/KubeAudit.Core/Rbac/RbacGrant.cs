namespace KubeAudit.Core.Rbac;

/// <summary>One rule a binding gives its subjects, in a scope: the binding's namespace, or "" (every namespace and cluster scope).</summary>
public sealed record RbacGrant(RbacBinding Binding, RbacRole Role, int RuleIndex, PolicyRule Rule)
{
    /// <summary>The namespace the grant applies in; "" for a ClusterRoleBinding.</summary>
    public string Scope => Binding.Kind == RbacObject.ClusterRoleBinding ? string.Empty : Binding.Namespace;

    /// <summary>Whether this grant allows <paramref name="request"/>, as kube-apiserver's RBAC authorizer decides.</summary>
    public bool Allows(RequestAttributes request) =>
        (Scope.Length == 0 || Scope == request.Namespace) && RuleMatcher.Allows(Rule, request);
}
