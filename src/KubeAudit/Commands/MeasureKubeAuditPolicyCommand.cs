using System.Management.Automation;
using KubeAudit.Commands.Policy;
using KubeAudit.Core.Policy;

namespace KubeAudit.Commands;

/// <summary>
/// <para type="synopsis">Estimates how much of an existing audit log a new policy would keep.</para>
/// </summary>
[Cmdlet(VerbsDiagnostic.Measure, "KubeAuditPolicy", DefaultParameterSetName = PathSet)]
[OutputType(typeof(PolicySizeReport))]
public sealed class MeasureKubeAuditPolicyCommand : LogFileCommand
{
    private const string EventSet = "Event";

    private PolicySizer? _sizer;

    #region Parameters

    /// <summary>The policy: a file path, or a KubeAudit.AuditPolicy from Get-KubeAuditPolicy.</summary>
    [Parameter(Mandatory = true, Position = 0)]
    [ValidateNotNull]
    public object Policy { get; set; } = null!;

    /// <summary>Log files to measure; wildcards allowed (after -Policy, so at position 1).</summary>
    [Parameter(Mandatory = true, Position = 1, ParameterSetName = PathSet, ValueFromPipeline = true)]
    [SupportsWildcards]
    [ValidateNotNullOrEmpty]
    public new string[] Path { get => base.Path; set => base.Path = value; }

    /// <summary>Events to measure, from Get-KubeAuditEvent.</summary>
    [Parameter(Mandatory = true, ParameterSetName = EventSet, ValueFromPipeline = true)]
    [ValidateNotNull]
    public AuditEvent? InputObject { get; set; }

    /// <summary>How many resources and users to list.</summary>
    [Parameter]
    [ValidateRange(1, int.MaxValue)]
    public int Top { get; set; } = 10;

    #endregion

    #region Methods

    /// <inheritdoc />
    protected override void BeginProcessing() => _sizer = new PolicySizer(PolicyInput.Load(this, Policy, StopToken));

    /// <inheritdoc />
    protected override void ProcessRecord()
    {
        if (ParameterSetName == EventSet)
        {
            if (InputObject is not null)
            {
                _sizer!.Add(InputObject);
            }

            return;
        }

        var files = new List<string>();
        foreach (var path in PathResolver.Resolve(this, GivenPaths, IsLiteral, WriteError))
        {
            if (Directory.Exists(path))
            {
                WriteError(Errors.PathIsDirectory(path, "*.log"));
                continue;
            }

            files.Add(path);
        }

        if (files.Count > 0)
        {
            LogInput.Read(this, files, _sizer!.Add, StopToken);
        }
    }

    /// <inheritdoc />
    protected override void EndProcessing() => WriteObject(_sizer!.Report(Top));

    #endregion
}
