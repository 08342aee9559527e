namespace KubeAudit.Core.Manifests;

/// <summary>Where backups go, and a hook tests use to inject failures.</summary>
public sealed class ManifestWriteOptions
{
    /// <summary>
    /// The folder under which <c>kubeaudit-backup-&lt;UTC time&gt;/</c> is made. It must be outside the
    /// manifests folder: the kubelet runs every non-dot file there as a Pod (like kubeadm's /etc/kubernetes/tmp).
    /// </summary>
    public string BackupRoot { get; init; } = "/etc/kubernetes/tmp";

    /// <summary>Called at each step (<c>backup</c>, <c>temp-written</c>, <c>before-rename</c>); a test throws from it.</summary>
    internal Action<string>? Fault { get; init; }
}
