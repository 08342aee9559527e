using System.Collections;
using System.Management.Automation;
using KubeAudit.Commands.Completion;
using KubeAudit.Core.Compliance;

namespace KubeAudit.Commands.Compliance;

/// <summary>
/// Get-KubeAuditComplianceCheck's and Invoke-KubeAuditCompliance's shared parameters (what to check and against which
/// minimums) and their resolution into the engine's options. -ManifestPath is each command's own: one takes it from the
/// pipeline, the other does not.
/// </summary>
public abstract class ComplianceCommand : PSCmdlet
{
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

    /// <summary>Logs are rotated outside kube-apiserver: the retention flags are not judged (the documented exception).</summary>
    [Parameter]
    public SwitchParameter ExternalRotation { get; set; }

    /// <summary>Overrides of the minimums: MaxAge, MaxBackup, MaxSize, LogIdleMinutes.</summary>
    [Parameter]
    [ValidateNotNull]
    public Hashtable? Threshold { get; set; }

    /// <summary>The engine's options for <paramref name="manifestPath"/> and these parameters; a bad -Benchmark, -Threshold or path stops the command.</summary>
    protected ComplianceOptions Options(string manifestPath, CancellationToken cancel = default) =>
        ComplianceInput.Options(this, manifestPath, PolicyPath, LogPath, Benchmark, ExternalRotation, Threshold, cancel);
}
