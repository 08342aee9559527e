using System.Management.Automation;
using KubeAudit.Commands.Manifests;
using KubeAudit.Core.Manifests;

namespace KubeAudit.Commands;

/// <summary>
/// <para type="synopsis">Turns off audit logging in a kube-apiserver static Pod manifest: removes the flags, volumes and mounts Enable-KubeApiServerAudit adds.</para>
/// </summary>
[Cmdlet(VerbsLifecycle.Disable, "KubeApiServerAudit", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.High)]
[OutputType(typeof(ApiServerAuditConfig))]
public sealed class DisableKubeApiServerAuditCommand : PSCmdlet
{
    private string _backupRoot = string.Empty;
    private string? _hostRoot;
    private string? _kubeadmConfig;

    #region Parameters

    /// <summary>The kube-apiserver static Pod manifest; kubeadm's location by default.</summary>
    [Parameter(Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [Alias("PSPath", "FullName")]
    [ValidateNotNullOrEmpty]
    public string ManifestPath { get; set; } = ManifestInput.DefaultManifestPath;

    /// <summary>The folder under which the manifest backup is made; kubeadm's /etc/kubernetes/tmp by default.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? BackupPath { get; set; }

    /// <summary>The folder that stands for the node's root for host paths (the default backup folder, -PassThru's checks).</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? HostRoot { get; set; }

    /// <summary>A kubeadm configuration file (ClusterConfiguration v1beta3 or v1beta4) to keep in step with the manifest: the audit extraArgs and extraVolumes are removed from it too.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? KubeadmConfigPath { get; set; }

    /// <summary>Output the manifest's audit configuration afterwards.</summary>
    [Parameter]
    public SwitchParameter PassThru { get; set; }

    #endregion

    #region Methods

    /// <inheritdoc />
    protected override void BeginProcessing()
    {
        if (HostRoot is { } root)
        {
            _hostRoot = PathResolver.ResolveFileSystemOrStop(this, root);
        }

        _backupRoot = BackupPath is { } backup ? PathResolver.ResolveFileSystemOrStop(this, backup) : HostPaths.OnDisk(_hostRoot, ManifestInput.DefaultBackupPath);
        if (KubeadmConfigPath is { } kubeadm)
        {
            _kubeadmConfig = PathResolver.ResolveFileSystemOrStop(this, kubeadm);
        }
    }

    /// <inheritdoc />
    protected override void ProcessRecord()
    {
        var manifest = ManifestInput.ResolveManifest(this, ManifestPath, out var error);
        if (manifest is null)
        {
            ThrowTerminatingError(error!);
        }

        var path = manifest!;
        var change = AuditChange.Disable(path, _backupRoot, _kubeadmConfig);
        if (change.Refusal is { } refusal)
        {
            ThrowTerminatingError(Errors.AuditChangeRefused(refusal, path, "disable"));
        }

        if (change.NothingToDo)
        {
            WriteVerbose(change.NothingToDoMessage);
            Output(path);
            return;
        }

        var description = change.Describe();
        if (!ShouldProcess(description, $"Disable audit logging in {path}? The kubelet restarts kube-apiserver when the manifest changes.{Environment.NewLine}{description}", "Disable kube-apiserver auditing"))
        {
            return;
        }

        var applied = change.Apply();
        this.WriteNotes(applied.Notes);
        if (applied.Failure is { } failure)
        {
            ThrowTerminatingError(Errors.AuditChangeRefused(failure, path, "disable"));
        }

        Output(path);
    }

    #endregion

    private void Output(string path)
    {
        if (PassThru)
        {
            WriteObject(ApiServerManifestReader.Read(path, _hostRoot));
        }
    }
}
