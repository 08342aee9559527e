namespace KubeAudit.Core.Manifests;

/// <summary>A kubeadm <c>apiServer.extraVolumes</c> item (HostPathMount).</summary>
/// <param name="Name">The volume name, e.g. <c>audit-policy</c>.</param>
/// <param name="HostPath">The path on the node.</param>
/// <param name="MountPath">The path in the API-server container.</param>
/// <param name="ReadOnly">Mounted read-only.</param>
/// <param name="PathType">The hostPath type, e.g. <c>File</c> or <c>DirectoryOrCreate</c>.</param>
public sealed record KubeadmVolume(string Name, string HostPath, string MountPath, bool ReadOnly, string PathType);
