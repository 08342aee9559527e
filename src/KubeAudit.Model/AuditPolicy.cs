namespace KubeAudit;

/// <summary>An audit.k8s.io Policy: ordered rules, first match wins.</summary>
public sealed class AuditPolicy
{
    /// <summary><c>audit.k8s.io/v1</c> for current clusters; null when the file has none.</summary>
    public string? ApiVersion { get; internal set; }

    /// <summary><c>Policy</c>, or null when the file has none (the API server then infers it).</summary>
    public string? Kind { get; internal set; }

    /// <summary>The rules, in order.</summary>
    public AuditPolicyRule[] Rules { get; internal set; } = [];

    /// <summary>Stages no event is generated for, whatever the rule.</summary>
    public string[] OmitStages { get; internal set; } = [];

    /// <summary>Whether managedFields are dropped from logged bodies unless a rule says otherwise.</summary>
    public bool OmitManagedFields { get; internal set; }

    /// <summary>The file the policy was read from.</summary>
    public string? File { get; internal set; }

    /// <inheritdoc />
    public override string ToString() => $"{File ?? "policy"} ({Rules.Length} rules)";
}
