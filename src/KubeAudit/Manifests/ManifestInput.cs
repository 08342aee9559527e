using System.Management.Automation;

namespace KubeAudit.Commands.Manifests;

/// <summary>The manifest commands' defaults, and their manifest path: a real file, resolved as <see cref="PathResolver"/> resolves every path.</summary>
internal static class ManifestInput
{
    /// <summary>The kubeadm manifest location.</summary>
    public const string DefaultManifestPath = "/etc/kubernetes/manifests/kube-apiserver.yaml";

    /// <summary>kubeadm's folder for backups, outside the manifests folder.</summary>
    public const string DefaultBackupPath = "/etc/kubernetes/tmp";

    /// <summary>An existing manifest file, or an error (not found, a folder, another provider).</summary>
    public static string? ResolveManifest(PSCmdlet cmdlet, string given, out ErrorRecord? error)
    {
        var path = PathResolver.ResolveFileSystem(cmdlet, given, out error);
        if (path is null)
        {
            return null;
        }

        if (Directory.Exists(path))
        {
            error = Errors.PathIsDirectory(path, "kube-apiserver.yaml");
            return null;
        }

        if (!File.Exists(path))
        {
            error = Errors.PathNotFound(path);
            return null;
        }

        return path;
    }
}
