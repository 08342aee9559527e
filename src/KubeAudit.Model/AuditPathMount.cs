namespace KubeAudit;

/// <summary>Whether the path in a path-valued audit flag is visible inside the container.</summary>
public sealed class AuditPathMount
{
    /// <summary>The flag, e.g. <c>audit-policy-file</c>.</summary>
    public string Flag { get; internal set; } = string.Empty;

    /// <summary>The path the flag names (inside the container).</summary>
    public string Path { get; internal set; } = string.Empty;

    /// <summary>The mount whose mountPath contains the path (the deepest one), or null.</summary>
    public ManifestVolumeMount? Mount { get; internal set; }

    /// <summary>The path on the host, through the mount's hostPath volume; null when not mounted.</summary>
    public string? HostPath { get; internal set; }

    /// <summary>True when a mount serves the path.</summary>
    public bool IsMounted => Mount is not null;

    /// <inheritdoc />
    public override string ToString() => $"--{Flag}={Path}: {(IsMounted ? "mounted from " + HostPath : "NOT mounted")}";
}
