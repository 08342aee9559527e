using System.Management.Automation;
using KubeAudit.Core.Diagnostics;
using KubeAudit.Core.Manifests;

namespace KubeAudit.Commands.Manifests;

/// <summary>The ErrorRecords of the manifest commands, with IDs <c>KubeAudit.&lt;Code&gt;</c> and the manifest as target.</summary>
internal static class ManifestErrors
{
    /// <summary>An edit or write the engine refused; every error is listed, the first one's code is the ID.</summary>
    public static ErrorRecord Failed(IReadOnlyList<Diagnostic> diagnostics, string manifestPath, string what)
    {
        var errors = diagnostics.Where(d => d.Severity == DiagnosticSeverity.Error).ToList();
        var first = errors.Count > 0 ? errors[0] : diagnostics[0];
        var lines = errors.Select(d => "  " + (d.Line > 0 ? $"line {d.Line}: " : string.Empty) + d.Message);
        var message = $"Cannot {what} {manifestPath}; the file was not changed:{Environment.NewLine}{string.Join(Environment.NewLine, lines)}";
        Exception exception = first.Code is DiagnosticCodes.ManifestWriteFailed or DiagnosticCodes.ReadFailed ? new IOException(message) : new InvalidDataException(message);
        return new ErrorRecord(exception, "KubeAudit." + first.Code, CategoryFor(first.Code), manifestPath)
        {
            ErrorDetails = new ErrorDetails(message) { RecommendedAction = ActionFor(first.Code) },
        };
    }

    /// <summary>An audit change refused before writing, or a write that failed; <paramref name="verb"/> is <c>enable</c> or <c>disable</c>.</summary>
    public static ErrorRecord Refused(AuditChangeRefusal refusal, string manifestPath, string verb) => refusal.Step switch
    {
        AuditChangeStep.Kubeadm => Failed(refusal.Diagnostics, refusal.Target, $"{verb} auditing in the kubeadm configuration"),
        AuditChangeStep.Policy => Failed(refusal.Diagnostics, manifestPath, $"install the audit policy {refusal.Target} for"),
        AuditChangeStep.PolicyConflict => PolicyConflict(refusal.Message, manifestPath),
        AuditChangeStep.PolicyLocation => InvalidArgument(refusal.Message, manifestPath),
        AuditChangeStep.HostPath => WrongHostPath(refusal.Message, manifestPath),
        AuditChangeStep.ReadFailed => Errors.ReadFailed(refusal.Target, refusal.Exception!),
        _ => Failed(refusal.Diagnostics, manifestPath, $"{verb} auditing in"),
    };

    /// <summary>A manifest Get-KubeApiServerAuditConfig cannot read as an API-server Pod.</summary>
    public static ErrorRecord Unreadable(ManifestProblem problem, string manifestPath)
    {
        var message = $"{manifestPath}{(problem.Line > 0 ? ":" + problem.Line : string.Empty)}: {problem.Message}";
        return new ErrorRecord(new InvalidDataException(message), "KubeAudit." + problem.Code, CategoryFor(problem.Code), manifestPath)
        {
            ErrorDetails = new ErrorDetails(message),
        };
    }

    /// <summary>A policy that kube-apiserver would not load, or that has errors; nothing was written.</summary>
    public static ErrorRecord InvalidPolicy(PolicyCheckResult result, string manifestPath)
    {
        var errors = result.Findings.Where(f => f.Severity == "Error").ToList();
        var lines = string.Join(Environment.NewLine, errors.Select(f => "  " + f));
        var message = $"The audit policy {result.File ?? "given"} is not valid, so nothing was written; {errors.Count} error(s):{Environment.NewLine}{lines}";
        return new ErrorRecord(new InvalidDataException(message), "KubeAudit." + DiagnosticCodes.InvalidAuditPolicy, ErrorCategory.InvalidData, manifestPath)
        {
            ErrorDetails = new ErrorDetails(message) { RecommendedAction = "Run Test-KubeAuditPolicy -Detailed on the policy and fix the errors." },
        };
    }

    /// <summary>A different policy already at the destination, and no -Force; the message says what to do.</summary>
    public static ErrorRecord PolicyConflict(string message, string manifestPath) =>
        new(new IOException(message), "KubeAudit.AuditPolicyConflict", ErrorCategory.ResourceExists, manifestPath)
        {
            ErrorDetails = new ErrorDetails(message),
        };

    /// <summary>A host path that has the wrong kind (a file where a folder is needed, or the reverse).</summary>
    public static ErrorRecord WrongHostPath(string message, string manifestPath) =>
        new(new IOException(message), "KubeAudit.InvalidHostPath", ErrorCategory.InvalidArgument, manifestPath)
        {
            ErrorDetails = new ErrorDetails(message),
        };

    /// <summary>The API server did not become healthy after the manifest was written; the message says what was restored and why.</summary>
    public static ErrorRecord ApiServerUnhealthy(string message, string manifestPath) =>
        new(new TimeoutException(message), "KubeAudit.ApiServerUnhealthy", ErrorCategory.OperationTimeout, manifestPath)
        {
            ErrorDetails = new ErrorDetails(message)
            {
                RecommendedAction = "Fix the errors shown (often the policy file or a mount), then run Enable-KubeApiServerAudit again.",
            },
        };

    /// <summary>A parameter value the command cannot use.</summary>
    public static ErrorRecord InvalidArgument(string message, object? target) =>
        new(new ArgumentException(message), "KubeAudit.InvalidArgument", ErrorCategory.InvalidArgument, target);

    private static ErrorCategory CategoryFor(string code) => code switch
    {
        DiagnosticCodes.ReadFailed => ErrorCategory.ReadError,
        DiagnosticCodes.ManifestWriteFailed => ErrorCategory.WriteError,
        DiagnosticCodes.AuditFlagConflict or DiagnosticCodes.AuditLogFileMounted => ErrorCategory.ResourceExists,
        DiagnosticCodes.NotAnApiServerPod or DiagnosticCodes.NotAKubeadmConfig => ErrorCategory.InvalidType,
        DiagnosticCodes.UnsupportedManifestLayout => ErrorCategory.NotImplemented,
        DiagnosticCodes.ManifestVerificationFailed => ErrorCategory.InvalidResult,
        DiagnosticCodes.InvalidAuditFlag => ErrorCategory.InvalidArgument,
        _ => ErrorCategory.InvalidData,
    };

    private static string? ActionFor(string code) => code switch
    {
        DiagnosticCodes.AuditFlagConflict or DiagnosticCodes.AuditLogFileMounted => "Use -Force to overwrite the existing values, or pass the values already set.",
        DiagnosticCodes.DuplicateFlag => "Remove the duplicate flags from the manifest, then run the command again.",
        DiagnosticCodes.UnsupportedManifestLayout => "Add the audit flags and volumes by hand; Get-KubeApiServerAuditConfig checks the result.",
        _ => null,
    };
}
