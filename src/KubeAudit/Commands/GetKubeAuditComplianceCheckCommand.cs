using System.Management.Automation;
using KubeAudit.Commands.Compliance;
using KubeAudit.Commands.Manifests;
using KubeAudit.Core.Compliance;

namespace KubeAudit.Commands;

/// <summary>
/// <para type="synopsis">Evaluates the audit compliance checks (CIS audit-log flags, policy file and content, log files) on a node's files, without Pester.</para>
/// </summary>
[Cmdlet(VerbsCommon.Get, "KubeAuditComplianceCheck")]
[OutputType(typeof(ComplianceCheck))]
public sealed class GetKubeAuditComplianceCheckCommand : ComplianceCommand, IDisposable
{
    // Cancelled by Ctrl+C: the policy check the checks start with can take a while on a huge policy.
    private readonly CancellationTokenSource _stop = new();

    #region Parameters

    /// <summary>The kube-apiserver static Pod manifest; kubeadm's location by default.</summary>
    [Parameter(Position = 0, ValueFromPipelineByPropertyName = true)]
    [Alias("PSPath", "FullName")]
    [ValidateNotNullOrEmpty]
    public string ManifestPath { get; set; } = ManifestInput.DefaultManifestPath;

    /// <summary>Only the checks with these names or IDs (wildcards allowed).</summary>
    [Parameter]
    [SupportsWildcards]
    [ValidateNotNullOrEmpty]
    public string[]? Name { get; set; }

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
        var options = Options(ManifestPath, _stop.Token);
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
