namespace KubeAudit.Core.Rbac;

/// <summary>How <see cref="RbacPolicyGenerator"/> turns requests into rules.</summary>
public sealed class RbacGeneratorOptions
{
    /// <summary>The same request in two or more namespaces becomes cluster-wide (audit2rbac --expand-multi-namespace).</summary>
    public bool ExpandMultiNamespace { get; init; }

    /// <summary>The same request on two or more names becomes any name (audit2rbac --expand-multi-name).</summary>
    public bool ExpandMultiName { get; init; }

    /// <summary>Grant only the verbs seen, without audit2rbac's widening (list→get,watch; update→get,patch; ...).</summary>
    public bool ExactVerbs { get; init; }

    /// <summary>Leave out requests the authorizer refused.</summary>
    public bool ExcludeDenied { get; init; }

    /// <summary>Only requests in this namespace (so no cluster-scoped or non-resource request), as audit2rbac -n.</summary>
    public string? Namespace { get; init; }

    /// <summary>The name of the roles and bindings; null derives it from the subject.</summary>
    public string? Name { get; init; }

    /// <summary>Keep the events behind each rule (for -Explain).</summary>
    public bool CollectEvidence { get; init; }

    /// <summary>The generator named in the annotations.</summary>
    public string Generator { get; init; } = "KubeAudit New-KubeAuditRbacPolicy";
}
