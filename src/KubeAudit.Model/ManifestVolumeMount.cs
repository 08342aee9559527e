namespace KubeAudit;

/// <summary>A volume mount of the API-server container.</summary>
public sealed class ManifestVolumeMount
{
    /// <summary>The volume it mounts.</summary>
    public string Name { get; internal set; } = string.Empty;

    /// <summary>Where inside the container.</summary>
    public string MountPath { get; internal set; } = string.Empty;

    /// <summary><c>readOnly</c>; false when absent.</summary>
    public bool ReadOnly { get; internal set; }

    /// <summary>1-based line in the manifest.</summary>
    public long Line { get; internal set; }

    /// <inheritdoc />
    public override string ToString() => $"{Name} at {MountPath}{(ReadOnly ? " (ro)" : string.Empty)}";
}
