using System.Management.Automation;
using KubeAudit.Commands.Policy;
using KubeAudit.Core.Diagnostics;
using KubeAudit.Core.Events.Reading;
using KubeAudit.Core.Policy;

namespace KubeAudit.Commands;

/// <summary>
/// <para type="synopsis">Estimates how much of an existing audit log a new policy would keep.</para>
/// </summary>
[Cmdlet(VerbsDiagnostic.Measure, "KubeAuditPolicy", DefaultParameterSetName = PathSet)]
[OutputType(typeof(PolicySizeReport))]
public sealed class MeasureKubeAuditPolicyCommand : PSCmdlet, IDisposable
{
    private const string PathSet = "Path";
    private const string LiteralPathSet = "LiteralPath";
    private const string EventSet = "Event";

    private readonly CancellationTokenSource _stop = new();
    private PolicySizer? _sizer;

    #region Parameters

    /// <summary>The policy: a file path, or a KubeAudit.AuditPolicy from Get-KubeAuditPolicy.</summary>
    [Parameter(Mandatory = true, Position = 0)]
    [ValidateNotNull]
    public object Policy { get; set; } = null!;

    /// <summary>Log files to measure; wildcards allowed.</summary>
    [Parameter(Mandatory = true, Position = 1, ParameterSetName = PathSet, ValueFromPipeline = true)]
    [SupportsWildcards]
    [ValidateNotNullOrEmpty]
    public string[] Path { get; set; } = [];

    /// <summary>Log files to measure, taken exactly as written.</summary>
    [Parameter(Mandatory = true, ParameterSetName = LiteralPathSet, ValueFromPipelineByPropertyName = true)]
    [Alias("PSPath", "LP")]
    [ValidateNotNullOrEmpty]
    public string[] LiteralPath { get; set; } = [];

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
    protected override void BeginProcessing() => _sizer = new PolicySizer(PolicyInput.Load(this, Policy, _stop.Token));

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

        var literal = ParameterSetName == LiteralPathSet;
        var files = new List<string>();
        foreach (var path in PathResolver.Resolve(this, literal ? LiteralPath : Path, literal, WriteError))
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
            ReadFiles(files);
        }
    }

    /// <inheritdoc />
    protected override void EndProcessing() => WriteObject(_sizer!.Report(Top));

    /// <inheritdoc />
    protected override void StopProcessing() => _stop.Cancel();

    /// <inheritdoc />
    public void Dispose() => _stop.Dispose();

    #endregion

    private void ReadFiles(IReadOnlyList<string> files)
    {
        var sizer = _sizer!;
        try
        {
            // Parsing runs a file ahead on the second core while this thread resolves levels.
            foreach (var record in SegmentedLogReader.Read(files, null, null, Environment.ProcessorCount, stop: _stop.Token))
            {
                if (record.Event is { } ev)
                {
                    sizer.Add(ev);
                }
                else if (record.Error is { Severity: DiagnosticSeverity.Error } error)
                {
                    WriteError(Errors.FromDiagnostic(error));
                }
                else if (record.Error is { } note)
                {
                    WriteWarning(note.ToString());
                }
            }
        }
        catch (OperationCanceledException) when (_stop.IsCancellationRequested)
        {
            // Ctrl+C: the pipeline is stopping.
        }
    }
}
