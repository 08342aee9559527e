using System.Management.Automation;
using KubeAudit.Commands.Rbac;
using KubeAudit.Core.Rbac;

namespace KubeAudit.Commands;

/// <summary>
/// <para type="synopsis">Compares the RBAC a cluster grants with what its subjects did in audit logs: grants used, grants never used, and requests no grant allows.</para>
/// </summary>
[Cmdlet(VerbsData.Compare, "KubeAuditRbac", DefaultParameterSetName = PathSet)]
[OutputType(typeof(RbacPermissionUsage))]
public sealed class CompareKubeAuditRbacCommand : RbacLogCommand
{
    private RbacUsageAnalyzer? _analyzer;

    #region Parameters

    /// <summary>RBAC objects: YAML or JSON files or folders (kubectl get ... -o yaml); wildcards allowed.</summary>
    [Parameter(Mandatory = true)]
    [SupportsWildcards]
    [ValidateNotNullOrEmpty]
    public string[] RbacPath { get; set; } = [];

    /// <summary>Only rows of these statuses: Used, Unused, Missing.</summary>
    [Parameter]
    [ValidateSet(RbacPermissionUsage.Used, RbacPermissionUsage.Unused, RbacPermissionUsage.Missing, IgnoreCase = true)]
    public string[] Status { get; set; } = [];

    #endregion

    #region Methods

    /// <inheritdoc />
    protected override void BeginProcessing()
    {
        var subject = ResolveSubject(required: false);
        _analyzer = new RbacUsageAnalyzer(RbacInput.Load(this, RbacPath), subject);
    }

    /// <inheritdoc />
    protected override void EndProcessing()
    {
        if (IsStopped)
        {
            return;
        }

        WriteVerbose($"The log covers {Time(_analyzer!.WindowStart)} to {Time(_analyzer.WindowEnd)}; \"Unused\" means unused in that window.");
        foreach (var row in _analyzer.Results())
        {
            if (Status.Length == 0 || Status.Contains(row.Status, StringComparer.OrdinalIgnoreCase))
            {
                WriteObject(row);
            }
        }
    }

    /// <inheritdoc />
    protected override void Add(AuditEvent ev) => _analyzer!.Add(ev);

    #endregion

    private static string Time(DateTimeOffset? time) => time is { } t ? RbacPolicyGenerator.Utc(t) : "-";
}
