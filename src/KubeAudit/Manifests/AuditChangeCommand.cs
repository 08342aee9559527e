using System.Management.Automation;
using KubeAudit.Core.Manifests;

namespace KubeAudit.Commands.Manifests;

/// <summary>
/// Enable- and Disable-KubeApiServerAudit's shared part: the backup, kubeadm and -PassThru parameters, and the flow
/// around an <see cref="AuditChange"/> (refusal, nothing to do, ShouldProcess, apply, failure, output). A subclass plans
/// the change and may act after it is applied.
/// </summary>
public abstract class AuditChangeCommand : ManifestCommand
{
    // "Enable" or "Disable": the ShouldProcess texts, and in lower case the error messages.
    private readonly string _action;

    /// <summary>A command that applies changes of this kind ("Enable" or "Disable").</summary>
    protected AuditChangeCommand(string action) => _action = action;

    /// <summary>The folder under which the manifest backup is made; kubeadm's /etc/kubernetes/tmp by default.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? BackupPath { get; set; }

    /// <summary>A kubeadm configuration file (ClusterConfiguration v1beta3 or v1beta4) to keep in step with the manifest.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? KubeadmConfigPath { get; set; }

    /// <summary>Output the manifest's audit configuration afterwards.</summary>
    [Parameter]
    public SwitchParameter PassThru { get; set; }

    /// <summary>-BackupPath as a file-system path, or kubeadm's backup folder under -HostRoot.</summary>
    protected string BackupRoot { get; private set; } = string.Empty;

    /// <summary>-KubeadmConfigPath as a file-system path, or null without it.</summary>
    protected string? KubeadmConfig { get; private set; }

    /// <summary>Resolves -HostRoot, -KubeadmConfigPath and -BackupPath; one that is not a file-system path stops the command.</summary>
    protected override void BeginProcessing()
    {
        base.BeginProcessing();
        if (KubeadmConfigPath is { } kubeadm)
        {
            KubeadmConfig = PathResolver.ResolveFileSystemOrStop(this, kubeadm);
        }

        BackupRoot = BackupPath is { } backup ? PathResolver.ResolveFileSystemOrStop(this, backup) : HostPaths.OnDisk(HostRootOnDisk, ManifestInput.DefaultBackupPath);
    }

    /// <summary>Plans the change for the manifest, asks ShouldProcess, applies it, and outputs the result with -PassThru.</summary>
    protected sealed override void ProcessRecord()
    {
        var path = ResolveManifest(out var error);
        if (path is null)
        {
            ThrowTerminatingError(error!);
        }

        var manifest = path!;
        var verb = _action.ToLowerInvariant();
        var change = Plan(manifest);
        if (change.Refusal is { } refusal)
        {
            ThrowTerminatingError(Errors.AuditChangeRefused(refusal, manifest, verb));
        }

        if (change.NothingToDo)
        {
            WriteVerbose(change.NothingToDoMessage);
            Output(manifest);
            return;
        }

        var description = change.Describe();
        if (!ShouldProcess(description, $"{_action} audit logging in {manifest}? The kubelet restarts kube-apiserver when the manifest changes.{Environment.NewLine}{description}", $"{_action} kube-apiserver auditing"))
        {
            return;
        }

        var applied = change.Apply();
        this.WriteNotes(applied.Notes);
        if (applied.Failure is { } failure)
        {
            ThrowTerminatingError(Errors.AuditChangeRefused(failure, manifest, verb));
        }

        Applied(applied);
        Output(manifest);
    }

    /// <summary>The change this command makes to <paramref name="manifest"/>, planned but not applied.</summary>
    protected abstract AuditChange Plan(string manifest);

    /// <summary>Runs after the change is applied without failure, before the output; nothing by default.</summary>
    protected virtual void Applied(AuditChangeResult applied)
    {
    }

    private void Output(string manifest)
    {
        if (PassThru)
        {
            WriteObject(ReadConfig(manifest));
        }
    }
}
