namespace KubeAudit.Core.Manifests;

/// <summary>What <see cref="AuditChange.Enable"/> plans: the manifest, the policy to install and where backups go.</summary>
public sealed class AuditEnableRequest
{
    /// <summary>The kube-apiserver manifest, an existing file.</summary>
    public required string ManifestPath { get; init; }

    /// <summary>The flags and mounts to set; <see cref="AuditEnableOptions.PolicyPath"/> is the path the API server sees.</summary>
    public required AuditEnableOptions Options { get; init; }

    /// <summary>The policy to install, already validated.</summary>
    public required string PolicyText { get; init; }

    /// <summary>Where the policy came from, for the plan text (a file, or "the recommended policy").</summary>
    public required string PolicySource { get; init; }

    /// <summary>The folder that stands for the node's root for host paths; null is <c>/</c>.</summary>
    public string? HostRoot { get; init; }

    /// <summary>The folder under which backups are made; outside the manifests folder.</summary>
    public required string BackupRoot { get; init; }

    /// <summary>A kubeadm configuration to keep in step, or null.</summary>
    public string? KubeadmConfigPath { get; init; }
}

/// <summary>Host paths as this machine's disk holds them.</summary>
public static class HostPaths
{
    /// <summary>Where a host path lies on this machine's disk: under <paramref name="hostRoot"/> when given.</summary>
    public static string OnDisk(string? hostRoot, string hostPath) =>
        hostRoot is null ? hostPath : Path.Combine(hostRoot, hostPath.TrimStart('/'));
}
