using System.Management.Automation;
using KubeAudit.Commands.Compliance;
using KubeAudit.Commands.Manifests;

namespace KubeAudit.Commands;

/// <summary>
/// <para type="synopsis">Reads the audit configuration of a kube-apiserver static Pod manifest and what would stop it working.</para>
/// </summary>
[Cmdlet(VerbsCommon.Get, "KubeApiServerAuditConfig")]
[OutputType(typeof(ApiServerAuditConfig))]
public sealed class GetKubeApiServerAuditConfigCommand : ManifestCommand
{
    /// <inheritdoc />
    protected override void BeginProcessing()
    {
        // Pester loaded after KubeAudit: -HaveAuditFlag becomes available for the next pipeline.
        ShouldOperators.EnsureRegistered(this);
        base.BeginProcessing();
    }

    /// <inheritdoc />
    protected override void ProcessRecord()
    {
        var path = ResolveManifest(out var error);
        if (path is null)
        {
            WriteError(error!);
            return;
        }

        var config = ReadConfig(path);
        if (config.ContainerName is null && config.Problems.Count > 0)
        {
            // Unreadable, not YAML, or not an API-server Pod: there is no configuration to show.
            WriteError(Errors.ManifestUnreadable(config.Problems[0], path));
            return;
        }

        WriteVerbose(config.ToString());
        WriteObject(config);
    }
}
