using System.Collections;
using System.Management.Automation;
using KubeAudit.Core.Compliance;

namespace KubeAudit.Commands;

/// <summary>The compliance commands' ErrorRecords (the rest of <see cref="Errors"/> is in Errors*.cs).</summary>
internal static partial class Errors
{
    /// <summary>Error ID <c>KubeAudit.UnknownBenchmark</c>.</summary>
    public const string UnknownBenchmarkId = "KubeAudit.UnknownBenchmark";

    /// <summary>Error ID <c>KubeAudit.InvalidThreshold</c>.</summary>
    public const string InvalidThresholdId = "KubeAudit.InvalidThreshold";

    /// <summary>Error ID <c>KubeAudit.OutputPathRequired</c>.</summary>
    public const string OutputPathRequiredId = "KubeAudit.OutputPathRequired";

    /// <summary>Error ID <c>KubeAudit.PesterNotFound</c>.</summary>
    public const string PesterNotFoundId = "KubeAudit.PesterNotFound";

    /// <summary>Error ID <c>KubeAudit.ComplianceSuiteMissing</c>.</summary>
    public const string ComplianceSuiteMissingId = "KubeAudit.ComplianceSuiteMissing";

    /// <summary>Error ID <c>KubeAudit.ComplianceRunFailed</c>.</summary>
    public const string ComplianceRunFailedId = "KubeAudit.ComplianceRunFailed";

    /// <summary>Error ID <c>KubeAudit.ComplianceFailed</c>.</summary>
    public const string ComplianceFailedId = "KubeAudit.ComplianceFailed";

    /// <summary>A -Benchmark that is not in the catalog; the message lists the known ones.</summary>
    public static ErrorRecord UnknownBenchmark(string benchmark) =>
        new(
            new ArgumentException($"Unknown benchmark '{benchmark}'. Known: {string.Join(", ", BenchmarkCatalog.Benchmarks)}."),
            UnknownBenchmarkId,
            ErrorCategory.InvalidArgument,
            benchmark);

    /// <summary>A -Threshold entry with an unknown key or a value that is not a whole number of 0 or more; the whole table is the target.</summary>
    public static ErrorRecord InvalidThreshold(DictionaryEntry entry, Hashtable threshold, IEnumerable<string> keys) =>
        new(
            new ArgumentException($"-Threshold: '{entry.Key}' = '{entry.Value}' is not valid. Keys: {string.Join(", ", keys)}; values: whole numbers, 0 or more."),
            InvalidThresholdId,
            ErrorCategory.InvalidArgument,
            threshold);

    /// <summary>-OutputFormat without -OutputPath; the format is the target.</summary>
    public static ErrorRecord OutputPathRequired(string outputFormat) =>
        new(
            new ArgumentException("-OutputFormat needs -OutputPath: the file to write the test results to."),
            OutputPathRequiredId,
            ErrorCategory.InvalidArgument,
            outputFormat);

    /// <summary>No Pester of at least <paramref name="minimum"/> is loaded or installed: what is missing and the ways to get it.</summary>
    public static ErrorRecord PesterNotFound(Version minimum) =>
        new(
            new InvalidOperationException(
                $"Invoke-KubeAuditCompliance runs its checks with Pester {minimum.ToString(2)} or later, and none is loaded or installed. " +
                "Install it with 'Install-Module Pester -MinimumVersion 5.7.1 -Scope CurrentUser' (or 'Install-PSResource Pester'), " +
                "or, without the PowerShell Gallery, download the Pester package from NuGet and run 'Import-Module <package>/tools/Pester.psd1' first. " +
                "Get-KubeAuditComplianceCheck gives the same checks without Pester."),
            PesterNotFoundId,
            ErrorCategory.NotInstalled,
            "Pester")
        {
            ErrorDetails = new ErrorDetails($"Pester {minimum.ToString(2)} or later is needed and was not found.")
            {
                RecommendedAction = "Install-Module Pester -MinimumVersion 5.7.1, or Import-Module the tools/Pester.psd1 of the NuGet package, then run again.",
            },
        };

    /// <summary>The module's compliance suite files are gone; the module folder is the target.</summary>
    public static ErrorRecord ComplianceSuiteMissing(string moduleBase) =>
        new(
            new FileNotFoundException($"The compliance suite is missing from {Path.Combine(moduleBase, "Compliance")}; reinstall KubeAudit."),
            ComplianceSuiteMissingId,
            ErrorCategory.ObjectNotFound,
            moduleBase);

    /// <summary>Pester itself failed (not a check), so nothing was judged; its errors were written before this.</summary>
    public static ErrorRecord ComplianceRunFailed(Version pesterVersion, string pesterPath) =>
        new(
            new InvalidOperationException($"Pester {pesterVersion} did not complete the compliance run; see the errors above."),
            ComplianceRunFailedId,
            ErrorCategory.OperationStopped,
            pesterPath);

    /// <summary>
    /// The non-terminating error after a run with failed checks ($? is false, so CI can gate on it); <paramref name="failed"/>
    /// names them, the summary is the target.
    /// </summary>
    public static ErrorRecord ComplianceFailed(ComplianceResult summary, string failed) =>
        new(
            new InvalidOperationException($"{summary.FailedCount} compliance check(s) failed: {failed}."),
            ComplianceFailedId,
            ErrorCategory.InvalidResult,
            summary);
}
