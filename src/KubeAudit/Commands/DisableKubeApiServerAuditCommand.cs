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
            _hostRoot = Resolve(root);
        }

        _backupRoot = BackupPath is { } backup ? Resolve(backup) : ManifestInput.OnDisk(_hostRoot, ManifestInput.DefaultBackupPath);
        if (KubeadmConfigPath is { } kubeadm)
        {
            _kubeadmConfig = Resolve(kubeadm);
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
        var edit = ApiServerManifestEditor.DisableFile(path);
        if (!edit.Succeeded)
        {
            ThrowTerminatingError(ManifestErrors.Failed(edit.Diagnostics, path, "disable auditing in"));
        }

        // The kubeadm configuration is checked before anything is written; any error stops the command.
        ManifestEditResult? kubeadm = null;
        if (_kubeadmConfig is { } kubeadmPath)
        {
            kubeadm = KubeadmConfigEditor.DisableFile(kubeadmPath);
            if (!kubeadm.Succeeded)
            {
                ThrowTerminatingError(ManifestErrors.Failed(kubeadm.Diagnostics, kubeadmPath, "disable auditing in the kubeadm configuration"));
            }
        }

        var kubeadmChanged = kubeadm?.Changed == true;
        if (!edit.Changed && !kubeadmChanged)
        {
            WriteVerbose($"{path}: auditing is not configured{(kubeadm is null ? string.Empty : " (nor in " + _kubeadmConfig + ")")}; nothing was written.");
            Output(path);
            return;
        }

        // What the writes below would refuse is refused here, so -WhatIf and the real run stop alike, before either writes.
        if (WriteChecks.BackupRoot(path, _backupRoot) is { } backupRefused)
        {
            ThrowTerminatingError(ManifestErrors.Failed([backupRefused], path, "disable auditing in"));
        }

        var description = edit.Changed ? $"Back up {path} under {_backupRoot} and change it:{Environment.NewLine}{edit.Diff}" : $"{path}: auditing is not configured.";
        if (kubeadmChanged)
        {
            description += $"{Environment.NewLine}Back up the kubeadm configuration {_kubeadmConfig} under {_backupRoot} and change it:{Environment.NewLine}{kubeadm!.Diff}";
        }

        if (!ShouldProcess(description, $"Disable audit logging in {path}? The kubelet restarts kube-apiserver when the manifest changes.{Environment.NewLine}{description}", "Disable kube-apiserver auditing"))
        {
            return;
        }

        var writeOptions = new ManifestWriteOptions { BackupRoot = _backupRoot };
        string? manifestBackup = null;
        ManifestWriteResult? manifestResult = null;
        if (edit.Changed)
        {
            var result = ManifestWriter.Write(path, edit, writeOptions);
            if (!result.Succeeded)
            {
                ThrowTerminatingError(ManifestErrors.Failed(result.Diagnostics, path, "disable auditing in"));
            }

            foreach (var change in edit.Changes)
            {
                WriteVerbose(change);
            }

            manifestBackup = result.Written ? result.BackupPath : null;
            manifestResult = result;
            WriteVerbose($"Changed {path}; the original is at {result.BackupPath}. The policy file and the logs were left in place.");
        }

        if (kubeadmChanged)
        {
            var written = ManifestWriter.WriteKubeadmConfig(_kubeadmConfig!, kubeadm!, writeOptions);
            if (!written.Succeeded)
            {
                // All or nothing: the manifest goes back as it was.
                var diagnostics = written.Diagnostics.ToList();
                var restored = manifestBackup is null ? null : ManifestWriter.Restore(path, manifestBackup);
                if (restored is { Succeeded: true } && manifestResult is not null)
                {
                    // Put back: the backup and the folders made for it go, so the failed run leaves nothing behind.
                    ManifestWriter.TakeBack(manifestResult);
                }
                else if (restored is { Succeeded: false })
                {
                    diagnostics.Add(new KubeAudit.Core.Diagnostics.Diagnostic(KubeAudit.Core.Diagnostics.DiagnosticCodes.ManifestWriteFailed, KubeAudit.Core.Diagnostics.DiagnosticSeverity.Error,
                        $"The manifest {path} could NOT be put back ({string.Join("; ", restored.Diagnostics.Select(d => d.Message))}); copy {manifestBackup} over it by hand.", path));
                }

                ThrowTerminatingError(ManifestErrors.Failed(diagnostics, _kubeadmConfig!, "disable auditing in the kubeadm configuration"));
            }

            foreach (var change in kubeadm!.Changes)
            {
                WriteVerbose(change);
            }

            WriteVerbose($"Changed {_kubeadmConfig}; the original is at {written.BackupPath}. Update the kube-system/kubeadm-config ConfigMap to match before the next kubeadm upgrade.");
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
