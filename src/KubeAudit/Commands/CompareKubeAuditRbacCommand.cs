using System.Management.Automation;
using KubeAudit.Commands.Completion;
using KubeAudit.Commands.Rbac;
using KubeAudit.Core.Rbac;

namespace KubeAudit.Commands;

/// <summary>
/// <para type="synopsis">Compares the RBAC a cluster grants with what its subjects did in audit logs: grants used, grants never used, and requests no grant allows.</para>
/// </summary>
[Cmdlet(VerbsData.Compare, "KubeAuditRbac", DefaultParameterSetName = PathSet)]
[OutputType(typeof(RbacPermissionUsage))]
public sealed class CompareKubeAuditRbacCommand : PSCmdlet, IDisposable
{
    private const string PathSet = "Path";
    private const string LiteralPathSet = "LiteralPath";
    private const string InputObjectSet = "InputObject";

    private readonly CancellationTokenSource _stop = new();
    private RbacUsageAnalyzer? _analyzer;

    #region Parameters

    /// <summary>RBAC objects: YAML or JSON files or folders (kubectl get ... -o yaml); wildcards allowed.</summary>
    [Parameter(Mandatory = true)]
    [SupportsWildcards]
    [ValidateNotNullOrEmpty]
    public string[] RbacPath { get; set; } = [];

    /// <summary>Log files or folders to read; wildcards allowed.</summary>
    [Parameter(Mandatory = true, Position = 0, ParameterSetName = PathSet)]
    [SupportsWildcards]
    [ValidateNotNullOrEmpty]
    public string[] Path { get; set; } = [];

    /// <summary>Log files or folders to read, taken exactly as written.</summary>
    [Parameter(Mandatory = true, ParameterSetName = LiteralPathSet, ValueFromPipelineByPropertyName = true)]
    [Alias("PSPath", "LP")]
    [ValidateNotNullOrEmpty]
    public string[] LiteralPath { get; set; } = [];

    /// <summary>Events, from Get-KubeAuditEvent.</summary>
    [Parameter(Mandatory = true, ParameterSetName = InputObjectSet, ValueFromPipeline = true)]
    public AuditEvent? InputObject { get; set; }

    /// <summary>Only this user (the impersonated user where there is one).</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(UserCompleter))]
    public string? User { get; set; }

    /// <summary>Only this group: the grants of bindings to it, and the requests of its members.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? Group { get; set; }

    /// <summary>Only this service account: namespace:name or system:serviceaccount:namespace:name.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(ServiceAccountCompleter))]
    public string? ServiceAccount { get; set; }

    /// <summary>Only rows of these statuses: Used, Unused, Missing.</summary>
    [Parameter]
    [ValidateSet(RbacPermissionUsage.Used, RbacPermissionUsage.Unused, RbacPermissionUsage.Missing, IgnoreCase = true)]
    public string[] Status { get; set; } = [];

    #endregion

    #region Methods

    /// <inheritdoc />
    protected override void BeginProcessing()
    {
        var subject = RbacSubjectInput.ResolveOptional(this, User, Group, ServiceAccount, required: false);
        _analyzer = new RbacUsageAnalyzer(RbacInput.Load(this, RbacPath), subject);
    }

    /// <inheritdoc />
    protected override void ProcessRecord()
    {
        if (ParameterSetName == InputObjectSet)
        {
            if (InputObject is { } ev)
            {
                _analyzer!.Add(ev);
            }

            return;
        }

        var literal = ParameterSetName == LiteralPathSet;
        EventSource.Read(this, literal ? LiteralPath : Path, literal, _analyzer!.Add, _stop.Token);
    }

    /// <inheritdoc />
    protected override void EndProcessing()
    {
        if (_stop.IsCancellationRequested)
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
    protected override void StopProcessing() => _stop.Cancel();

    /// <inheritdoc />
    public void Dispose() => _stop.Dispose();

    #endregion

    private static string Time(DateTimeOffset? time) => time is { } t ? RbacPolicyGenerator.Utc(t) : "-";
}
