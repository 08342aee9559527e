namespace KubeAudit;

/// <summary>Resources of one API group named by a policy rule.</summary>
public sealed class GroupResources
{
    /// <summary>API group; <c>""</c> is the core group, <c>*</c> every group (Kubernetes 1.36+).</summary>
    public string Group { get; internal set; } = string.Empty;

    /// <summary>Resources: <c>pods</c>, <c>pods/log</c>, <c>*</c>, <c>pods/*</c>, <c>*/scale</c>; empty means all.</summary>
    public string[] Resources { get; internal set; } = [];

    /// <summary>Object names; empty means all.</summary>
    public string[] ResourceNames { get; internal set; } = [];

    /// <summary>1-based line in the policy file.</summary>
    public int Line { get; internal set; }

    /// <summary>1-based column in the policy file.</summary>
    public int Column { get; internal set; }

    /// <inheritdoc />
    public override string ToString() =>
        (Group.Length == 0 ? "core" : Group) + ": " + (Resources.Length == 0 ? "*" : string.Join(",", Resources));
}
