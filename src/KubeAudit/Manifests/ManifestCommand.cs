using System.Management.Automation;
using KubeAudit.Core.Manifests;

namespace KubeAudit.Commands.Manifests;

/// <summary>
/// A cmdlet that works on a kube-apiserver static Pod manifest: -ManifestPath (from the pipeline too) and -HostRoot,
/// the folder that stands for the node's root, resolved to a file-system path in <see cref="BeginProcessing"/>.
/// </summary>
public abstract class ManifestCommand : PSCmdlet
{
    /// <summary>The kube-apiserver static Pod manifest; kubeadm's location by default.</summary>
    [Parameter(Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [Alias("PSPath", "FullName")]
    [ValidateNotNullOrEmpty]
    public string ManifestPath { get; set; } = ManifestInput.DefaultManifestPath;

    /// <summary>The folder that stands for the node's root for host paths (a node's disk mounted elsewhere, or tests).</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? HostRoot { get; set; }

    /// <summary>-HostRoot as a file-system path, or null without it.</summary>
    protected string? HostRootOnDisk { get; private set; }

    /// <summary>Resolves -HostRoot; one that is not a file-system path stops the command.</summary>
    protected override void BeginProcessing()
    {
        if (HostRoot is { } root)
        {
            HostRootOnDisk = PathResolver.ResolveFileSystemOrStop(this, root);
        }
    }

    /// <summary>-ManifestPath as an existing file, or null and the error that says why not.</summary>
    protected string? ResolveManifest(out ErrorRecord? error) => ManifestInput.ResolveManifest(this, ManifestPath, out error);

    /// <summary>The manifest's audit configuration as it is now on disk, read with -HostRoot's host paths.</summary>
    protected ApiServerAuditConfig ReadConfig(string manifest) => ApiServerManifestReader.Read(manifest, HostRootOnDisk);
}
