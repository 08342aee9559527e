using System.Management.Automation;
using KubeAudit.Commands.Compliance;
using KubeAudit.Commands.Manifests;
using KubeAudit.Core.Manifests;

namespace KubeAudit.Commands;

/// <summary>
/// <para type="synopsis">Reads the audit configuration of a kube-apiserver static Pod manifest and what would stop it working.</para>
/// </summary>
[Cmdlet(VerbsCommon.Get, "KubeApiServerAuditConfig")]
[OutputType(typeof(ApiServerAuditConfig))]
public sealed class GetKubeApiServerAuditConfigCommand : PSCmdlet
{
    private string? _hostRoot;

    #region Parameters

    /// <summary>The kube-apiserver static Pod manifest; kubeadm's location by default.</summary>
    [Parameter(Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [Alias("PSPath", "FullName")]
    [ValidateNotNullOrEmpty]
    public string ManifestPath { get; set; } = ManifestInput.DefaultManifestPath;

    /// <summary>The folder that stands for the node's root when checking host files (a node's disk mounted elsewhere, or tests).</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? HostRoot { get; set; }

    #endregion

    #region Methods

    /// <inheritdoc />
    protected override void BeginProcessing()
    {
        // Pester loaded after KubeAudit: -HaveAuditFlag becomes available for the next pipeline.
        ShouldOperators.EnsureRegistered(this);
        if (HostRoot is { } root)
        {
            _hostRoot = PathResolver.ResolveFileSystemOrStop(this, root);
        }
    }

    /// <inheritdoc />
    protected override void ProcessRecord()
    {
        var path = ManifestInput.ResolveManifest(this, ManifestPath, out var error);
        if (path is null)
        {
            WriteError(error!);
            return;
        }

        var config = ApiServerManifestReader.Read(path, _hostRoot);
        if (config.ContainerName is null && config.Problems.Count > 0)
        {
            // Unreadable, not YAML, or not an API-server Pod: there is no configuration to show.
            WriteError(Errors.ManifestUnreadable(config.Problems[0], path));
            return;
        }

        WriteVerbose(config.ToString());
        WriteObject(config);
    }

    #endregion
}
