using System.Collections;
using System.Diagnostics;
using System.Management.Automation;
using KubeAudit.Commands.Compliance;
using KubeAudit.Commands.Manifests;
using KubeAudit.Core.Compliance;
using System.Diagnostics.CodeAnalysis;

namespace KubeAudit.Commands;

/// <summary>
/// <para type="synopsis">Runs KubeAudit's Pester compliance suite (CIS audit items and policy content) on a node's manifest, policy and logs, for CI.</para>
/// </summary>
[Cmdlet(VerbsLifecycle.Invoke, "KubeAuditCompliance")]
[OutputType(typeof(ComplianceResult))]
[SuppressMessage("Design", "CA1001", Justification = "The runner is disposed by the using in EndProcessing; the field only lets StopProcessing reach it.")]
public sealed class InvokeKubeAuditComplianceCommand : ComplianceCommand
{
    private SuiteRunner? _runner;

    #region Parameters

    /// <summary>The kube-apiserver static Pod manifest; kubeadm's location by default.</summary>
    [Parameter(Position = 0)]
    [Alias("PSPath", "FullName")]
    [ValidateNotNullOrEmpty]
    public string ManifestPath { get; set; } = ManifestInput.DefaultManifestPath;

    /// <summary>Runs only the checks with one of these tags: an ID (1.2.17), a name (AuditLogMaxAge), an area (AuditLog, AuditPolicy, LogFiles) or CIS.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string[]? Tag { get; set; }

    /// <summary>Leaves out the checks with these IDs, names or areas.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string[]? ExcludeCheck { get; set; }

    /// <summary>The test-result format written to -OutputPath: NUnitXml (default) or JUnitXml.</summary>
    [Parameter]
    [ValidateSet("NUnitXml", "JUnitXml")]
    public string? OutputFormat { get; set; }

    /// <summary>Where to write the test results.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? OutputPath { get; set; }

    /// <summary>How much of Pester's report goes to the console: None, Normal, Detailed (default) or Diagnostic, as Invoke-Pester -Output.</summary>
    [Parameter]
    [ValidateSet("None", "Normal", "Detailed", "Diagnostic")]
    public string Output { get; set; } = "Detailed";

    /// <summary>Writes the summary (KubeAudit.ComplianceResult) to the pipeline.</summary>
    [Parameter]
    public SwitchParameter PassThru { get; set; }

    #endregion

    #region Methods

    /// <inheritdoc />
    protected override void EndProcessing()
    {
        if (OutputFormat is not null && OutputPath is null)
        {
            ThrowTerminatingError(Errors.OutputPathRequired(OutputFormat));
        }

        // Validated before Pester is looked for, so a bad -Benchmark is reported as such.
        var options = Options(ManifestPath);
        if (PesterModule.Find(this) is not { } pester)
        {
            ThrowTerminatingError(Errors.PesterNotFound(PesterModule.Minimum));
            return;
        }

        ShouldOperators.EnsureRegistered(this);
        var files = ModulePaths.SuiteFiles();
        if (files.Length == 0)
        {
            ThrowTerminatingError(Errors.ComplianceSuiteMissing(ModulePaths.Base));
        }

        string? outputPath = null;
        if (OutputPath is not null)
        {
            outputPath = PathResolver.ResolveFileSystem(this, OutputPath, out var pathError);
            if (outputPath is null)
            {
                ThrowTerminatingError(pathError!);
            }
        }

        WriteVerbose($"Running {files.Length} suite file(s) with Pester {pester.Version} from {pester.Path}.");

        var data = new Hashtable
        {
            ["ManifestPath"] = options.ManifestPath,
            ["Benchmark"] = options.Benchmark,
            ["ExternalRotation"] = ExternalRotation.IsPresent,
            ["Threshold"] = Threshold ?? new Hashtable(),
        };
        if (options.PolicyPath is not null)
        {
            data["PolicyPath"] = options.PolicyPath;
        }

        if (options.LogPath is not null)
        {
            data["LogPath"] = options.LogPath;
        }

        var clock = Stopwatch.StartNew();
        PSObject? run;
        IReadOnlyList<ErrorRecord> errors;
        using (_runner = new SuiteRunner(Host))
        {
            (run, errors) = _runner.Invoke(new SuiteRun
            {
                PesterPath = pester.Path,
                Files = files,
                Data = data,
                Tag = Tag ?? [],
                ExcludeTag = ExcludeCheck ?? [],
                OutputFormat = outputPath is null ? null : OutputFormat ?? "NUnitXml",
                OutputPath = outputPath,
                Verbosity = Output,
            });
        }

        _runner = null;
        if (run is null)
        {
            // Pester itself failed (not a check): nothing was judged, so there is no summary to give.
            foreach (var error in errors)
            {
                WriteError(error);
            }

            ThrowTerminatingError(Errors.ComplianceRunFailed(pester.Version, pester.Path));
            return;
        }

        var checks = ResultMapper.Checks(run, options.Benchmark);
        var summary = ComplianceReport.Summarize(options.Benchmark, checks, options.ManifestPath, outputPath, pester.Version.ToString(), clock.Elapsed);
        if (PassThru)
        {
            WriteObject(summary);
        }

        if (summary.FailedCount > 0)
        {
            // A non-terminating error: $? is false, so 'pwsh -c' exits 1 and CI can gate on it.
            var failed = string.Join(", ", checks.Where(c => c.Result == "Failed").Select(c => $"{c.Id} {c.Name}"));
            WriteError(Errors.ComplianceFailed(summary, failed));
        }
    }

    /// <inheritdoc />
    protected override void StopProcessing() => _runner?.Stop();

    #endregion
}
