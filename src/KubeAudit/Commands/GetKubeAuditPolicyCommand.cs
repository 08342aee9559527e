using System.Management.Automation;
using KubeAudit.Core.Diagnostics;
using KubeAudit.Core.Policy;

namespace KubeAudit.Commands;

/// <summary>
/// <para type="synopsis">Reads an audit policy file into a typed policy object.</para>
/// </summary>
[Cmdlet(VerbsCommon.Get, "KubeAuditPolicy", DefaultParameterSetName = PathSet)]
[OutputType(typeof(AuditPolicy))]
public sealed class GetKubeAuditPolicyCommand : PSCmdlet
{
    private const string PathSet = "Path";
    private const string LiteralPathSet = "LiteralPath";

    #region Parameters

    /// <summary>Policy files (YAML or JSON); wildcards allowed.</summary>
    [Parameter(Mandatory = true, Position = 0, ParameterSetName = PathSet, ValueFromPipeline = true)]
    [SupportsWildcards]
    [ValidateNotNullOrEmpty]
    public string[] Path { get; set; } = [];

    /// <summary>Policy files, taken exactly as written.</summary>
    [Parameter(Mandatory = true, ParameterSetName = LiteralPathSet, ValueFromPipelineByPropertyName = true)]
    [Alias("PSPath", "LP")]
    [ValidateNotNullOrEmpty]
    public string[] LiteralPath { get; set; } = [];

    #endregion

    #region Methods

    /// <inheritdoc />
    protected override void ProcessRecord()
    {
        var literal = ParameterSetName == LiteralPathSet;
        foreach (var file in PathResolver.Resolve(this, literal ? LiteralPath : Path, literal, WriteError))
        {
            var result = AuditPolicyReader.ReadFile(file);
            foreach (var diagnostic in result.Diagnostics)
            {
                if (diagnostic.Severity == DiagnosticSeverity.Error)
                {
                    WriteError(Errors.FromDiagnostic(diagnostic));
                }
                else
                {
                    WriteWarning(diagnostic.ToString());
                }
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
