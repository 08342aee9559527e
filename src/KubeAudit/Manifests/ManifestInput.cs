using System.Management.Automation;

namespace KubeAudit.Commands.Manifests;

/// <summary>Resolves the manifest commands' paths: the manifest (a real file), folders to write to, and host paths under -HostRoot.</summary>
internal static class ManifestInput
{
    /// <summary>The kubeadm manifest location.</summary>
    public const string DefaultManifestPath = "/etc/kubernetes/manifests/kube-apiserver.yaml";

    /// <summary>kubeadm's folder for backups, outside the manifests folder.</summary>
    public const string DefaultBackupPath = "/etc/kubernetes/tmp";

    /// <summary>An existing manifest file, or an error (not found, a folder, another provider).</summary>
    public static string? ResolveManifest(PSCmdlet cmdlet, string given, out ErrorRecord? error)
    {
        var path = ResolveFileSystem(cmdlet, given, out error);
        if (path is null)
        {
            return null;
        }

        if (Directory.Exists(path))
        {
            error = Policy.PolicyErrors.PathIsDirectory(path, "kube-apiserver.yaml");
            return null;
        }

        if (!File.Exists(path))
        {
            error = Errors.PathNotFound(path);
            return null;
        }

        return path;
    }

    /// <summary>A file-system path, resolved against the current location, that need not exist.</summary>
    public static string? ResolveFileSystem(PSCmdlet cmdlet, string given, out ErrorRecord? error)
    {
        error = null;
        try
        {
            var path = cmdlet.SessionState.Path.GetUnresolvedProviderPathFromPSPath(given, out var provider, out _);
            if (provider.Name != "FileSystem")
            {
                error = Errors.NotFileSystemPath(given, provider.Name);
                return null;
            }

            return path;
        }
        catch (Exception ex) when (ex is ProviderNotFoundException or System.Management.Automation.DriveNotFoundException or PSArgumentException or NotSupportedException)
        {
            error = new ErrorRecord(ex, "KubeAudit.InvalidPath", ErrorCategory.InvalidArgument, given);
            return null;
        }
    }
}
