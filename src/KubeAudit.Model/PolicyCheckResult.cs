namespace KubeAudit;

/// <summary>The outcome of checking an audit policy file: the policy as read and everything found in it.</summary>
public sealed class PolicyCheckResult
{
    /// <summary>The policy, or null when the file could not be read as one.</summary>
    public AuditPolicy? Policy { get; internal set; }

    /// <summary>Errors first, then warnings; each group in file order.</summary>
    public IReadOnlyList<PolicyFinding> Findings { get; internal set; } = [];

    /// <summary>True when no finding is an error.</summary>
    public bool IsValid => !Findings.Any(f => f.Severity == "Error");

    /// <summary>
    /// True when kube-apiserver would load the policy. It can be true while <see cref="IsValid"/> is
    /// false: unknown fields are dropped by the API server, not rejected.
    /// </summary>
    public bool AcceptedByApiServer => Policy is not null && !Findings.Any(f => f.RejectedByApiServer);

    /// <summary>The file checked.</summary>
    public string? File { get; internal set; }

    /// <inheritdoc />
    public override string ToString() =>
        $"{File ?? "policy"}: {(IsValid ? "valid" : "invalid")}, {Findings.Count(f => f.Severity == "Error")} errors, {Findings.Count(f => f.Severity == "Warning")} warnings";
}
