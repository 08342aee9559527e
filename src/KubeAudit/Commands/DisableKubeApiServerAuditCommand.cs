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
            _hostRoot = Resolve(root);
        }

        _backupRoot = BackupPath is { } backup ? Resolve(backup) : ManifestInput.OnDisk(_hostRoot, ManifestInput.DefaultBackupPath);
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
        var edit = ApiServerManifestEditor.DisableFile(path);
        if (!edit.Succeeded)
        {
            ThrowTerminatingError(ManifestErrors.Failed(edit.Diagnostics, path, "disable auditing in"));
        }

        if (!edit.Changed)
        {
            WriteVerbose($"{path}: auditing is not configured; nothing was written.");
            Output(path);
            return;
        }

        var description = $"Back up {path} under {_backupRoot} and change it:{Environment.NewLine}{edit.Diff}";
        if (!ShouldProcess(description, $"Disable audit logging in {path}? The kubelet restarts kube-apiserver when the manifest changes.{Environment.NewLine}{description}", "Disable kube-apiserver auditing"))
        {
            return;
        }

        var result = ManifestWriter.Write(path, edit, new ManifestWriteOptions { BackupRoot = _backupRoot });
        if (!result.Succeeded)
        {
            ThrowTerminatingError(ManifestErrors.Failed(result.Diagnostics, path, "disable auditing in"));
        }

        foreach (var change in edit.Changes)
        {
            WriteVerbose(change);
        }

        WriteVerbose($"Changed {path}; the original is at {result.BackupPath}. The policy file and the logs were left in place.");
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

    private string Resolve(string given)
    {
        var path = ManifestInput.ResolveFileSystem(this, given, out var error);
        if (path is null)
        {
            ThrowTerminatingError(error!);
        }

        return path!;
    }
}
