using System.Collections;
using System.Management.Automation;
using KubeAudit.Commands.Completion;
using KubeAudit.Commands.Compliance;
using KubeAudit.Commands.Manifests;
using KubeAudit.Core.Compliance;

namespace KubeAudit.Commands;

/// <summary>
/// <para type="synopsis">Evaluates the audit compliance checks (CIS audit-log flags, policy file and content, log files) on a node's files, without Pester.</para>
/// </summary>
[Cmdlet(VerbsCommon.Get, "KubeAuditComplianceCheck")]
[OutputType(typeof(ComplianceCheck))]
public sealed class GetKubeAuditComplianceCheckCommand : PSCmdlet, IDisposable
{
    // Cancelled by Ctrl+C: the policy check the checks start with can take a while on a huge policy.
    private readonly CancellationTokenSource _stop = new();

    #region Parameters

    /// <summary>The kube-apiserver static Pod manifest; kubeadm's location by default.</summary>
    [Parameter(Position = 0, ValueFromPipelineByPropertyName = true)]
    [Alias("PSPath", "FullName")]
    [ValidateNotNullOrEmpty]
    public string ManifestPath { get; set; } = ManifestInput.DefaultManifestPath;

    /// <summary>The policy file on this machine; by default the node file the manifest's --audit-policy-file names.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? PolicyPath { get; set; }

    /// <summary>The audit log folder (or active log file) on this machine; by default the node folder of --audit-log-path.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? LogPath { get; set; }

    /// <summary>The benchmark version whose IDs the checks carry.</summary>
    [Parameter]
    [ArgumentCompleter(typeof(BenchmarkCompleter))]
    [ValidateNotNullOrEmpty]
    public string Benchmark { get; set; } = BenchmarkCatalog.Default;

    /// <summary>Only the checks with these names or IDs (wildcards allowed).</summary>
    [Parameter]
    [SupportsWildcards]
    [ValidateNotNullOrEmpty]
    public string[]? Name { get; set; }

    /// <summary>Logs are rotated outside kube-apiserver: the retention flags are not judged (the documented exception).</summary>
    [Parameter]
    public SwitchParameter ExternalRotation { get; set; }

    /// <summary>Overrides of the minimums: MaxAge, MaxBackup, MaxSize, LogIdleMinutes.</summary>
    [Parameter]
    [ValidateNotNull]
    public Hashtable? Threshold { get; set; }

    #endregion

    #region Methods

    /// <inheritdoc />
    protected override void BeginProcessing() => ShouldOperators.EnsureRegistered(this);

    /// <inheritdoc />
    protected override void StopProcessing() => _stop.Cancel();

    /// <inheritdoc />
    public void Dispose() => _stop.Dispose();

    /// <inheritdoc />
    protected override void ProcessRecord()
    {
        var options = ComplianceInput.Options(this, ManifestPath, PolicyPath, LogPath, Benchmark, ExternalRotation, Threshold, _stop.Token);
        var patterns = Name?.Select(n => WildcardPattern.Get(n, WildcardOptions.IgnoreCase)).ToList();
        IReadOnlyList<ComplianceCheck> checks;
        try
        {
            checks = ComplianceEvaluator.Evaluate(options);
        }
        catch (OperationCanceledException)
        {
            throw new PipelineStoppedException();
        }

        foreach (var check in checks)
        {
            if (patterns is null || patterns.Any(p => p.IsMatch(check.Name) || p.IsMatch(check.Id)))
            {
                WriteObject(check);
            }
        }
    }

    #endregion
}
