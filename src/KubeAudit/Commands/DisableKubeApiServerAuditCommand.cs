using System.Management.Automation;
using KubeAudit.Commands.Manifests;
using KubeAudit.Core.Manifests;

namespace KubeAudit.Commands;

/// <summary>
/// <para type="synopsis">Turns off audit logging in a kube-apiserver static Pod manifest: removes the flags, volumes and mounts Enable-KubeApiServerAudit adds.</para>
/// </summary>
[Cmdlet(VerbsLifecycle.Disable, "KubeApiServerAudit", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.High)]
[OutputType(typeof(ApiServerAuditConfig))]
public sealed class DisableKubeApiServerAuditCommand : AuditChangeCommand
{
    /// <summary>Disables auditing; its parameters are the shared ones of <see cref="AuditChangeCommand"/>.</summary>
    public DisableKubeApiServerAuditCommand()
        : base("Disable")
    {
    }

    /// <inheritdoc />
    protected override AuditChange Plan(string manifest) => AuditChange.Disable(manifest, BackupRoot, KubeadmConfig);
}
