namespace KubeAudit;

/// <summary>A Pod volume; only hostPath volumes have <see cref="HostPath"/>.</summary>
public sealed class ManifestVolume
{
    /// <summary>The volume name.</summary>
    public string Name { get; internal set; } = string.Empty;

    /// <summary><c>hostPath.path</c>, or null for other volume kinds.</summary>
    public string? HostPath { get; internal set; }

    /// <summary><c>hostPath.type</c> (e.g. <c>File</c>, <c>DirectoryOrCreate</c>); empty means no check.</summary>
    public string? Type { get; internal set; }

    /// <summary>1-based line in the manifest.</summary>
    public long Line { get; internal set; }

    /// <inheritdoc />
    public override string ToString() => $"{Name} -> {HostPath ?? "(not hostPath)"}";
}
