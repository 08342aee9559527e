namespace KubeAudit;

/// <summary>Authentication details (Kubernetes 1.35+, constrained impersonation).</summary>
public sealed class AuthenticationMetadata
{
    /// <summary>The impersonation constraint that allowed the request.</summary>
    public string? ImpersonationConstraint { get; internal set; }

    /// <inheritdoc />
    public override string ToString() => ImpersonationConstraint ?? string.Empty;
}
