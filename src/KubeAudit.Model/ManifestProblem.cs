namespace KubeAudit;

/// <summary>A problem in a kube-apiserver manifest's audit configuration, with a one-line fix.</summary>
public sealed class ManifestProblem
{
    /// <summary><c>Error</c> (auditing or the API server will not work) or <c>Warning</c>.</summary>
    public string Severity { get; internal set; } = "Error";

    /// <summary>Stable code, e.g. <c>AuditFlagNotMounted</c>.</summary>
    public string Code { get; internal set; } = string.Empty;

    /// <summary>What is wrong.</summary>
    public string Message { get; internal set; } = string.Empty;

    /// <summary>How to fix it.</summary>
    public string? Hint { get; internal set; }

    /// <summary>The flag concerned, without dashes, if any.</summary>
    public string? Flag { get; internal set; }

    /// <summary>The manifest file.</summary>
    public string? File { get; internal set; }

    /// <summary>1-based line; 0 when unknown.</summary>
    public long Line { get; internal set; }

    /// <summary>1-based column; 0 when unknown.</summary>
    public long Column { get; internal set; }

    /// <inheritdoc />
    public override string ToString() => $"{File ?? "<input>"}:{Line}: {Severity} {Code}: {Message}" + (Hint is null ? string.Empty : " Fix: " + Hint);
}
