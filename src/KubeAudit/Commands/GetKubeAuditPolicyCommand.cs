using System.Management.Automation;
using KubeAudit.Core.Policy;

namespace KubeAudit.Commands;

/// <summary>
/// <para type="synopsis">Reads an audit policy file into a typed policy object.</para>
/// </summary>
[Cmdlet(VerbsCommon.Get, "KubeAuditPolicy", DefaultParameterSetName = PathSet)]
[OutputType(typeof(AuditPolicy))]
public sealed class GetKubeAuditPolicyCommand : FileInputCommand
{
    #region Methods

    /// <inheritdoc />
    protected override void ProcessRecord()
    {
        foreach (var file in PathResolver.Resolve(this, GivenPaths, IsLiteral, WriteError))
        {
            var result = AuditPolicyReader.ReadFile(file);
            foreach (var diagnostic in result.Diagnostics)
            {
                RecordWriter.WriteProblem(this, diagnostic);
            }

            // A policy with errors in some fields is still returned: what was read is useful to inspect.
            if (result.Policy is { } policy)
            {
                WriteObject(policy);
            }
        }
    }

    #endregion
}
