using System.Management.Automation;
using KubeAudit.Core.Diagnostics;
using KubeAudit.Core.Manifests;

namespace KubeAudit.Commands;

/// <summary>The manifest commands' ErrorRecords: IDs <c>KubeAudit.&lt;Code&gt;</c>, the manifest as target.</summary>
internal static partial class Errors
{
    /// <summary>A parameter value the command cannot use.</summary>
    public const string InvalidArgumentId = "KubeAudit.InvalidArgument";

    /// <summary>A host path of the wrong kind (a file where a folder is needed, or the reverse).</summary>
    public const string InvalidHostPathId = "KubeAudit.InvalidHostPath";

    /// <summary>A different policy is already at the destination.</summary>
    public const string AuditPolicyConflictId = "KubeAudit.AuditPolicyConflict";

    /// <summary>The API server did not answer 200 in time after the manifest changed.</summary>
    public const string ApiServerUnhealthyId = "KubeAudit.ApiServerUnhealthy";

    /// <summary>The policy to install has errors.</summary>
    public const string InvalidAuditPolicyId = "KubeAudit." + DiagnosticCodes.InvalidAuditPolicy;

    /// <summary>An edit or write the engine refused; every error is listed, the first one's code is the ID.</summary>
    public static ErrorRecord ManifestFailed(IReadOnlyList<Diagnostic> diagnostics, string manifestPath, string what)
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
    public static ErrorRecord AuditChangeRefused(AuditChangeRefusal refusal, string manifestPath, string verb) => refusal.Step switch
    {
        AuditChangeStep.Kubeadm => ManifestFailed(refusal.Diagnostics, refusal.Target, $"{verb} auditing in the kubeadm configuration"),
        AuditChangeStep.Policy => ManifestFailed(refusal.Diagnostics, manifestPath, $"install the audit policy {refusal.Target} for"),
        AuditChangeStep.PolicyConflict => Simple(new IOException(refusal.Message), AuditPolicyConflictId, ErrorCategory.ResourceExists, manifestPath),
        AuditChangeStep.PolicyLocation => InvalidArgument(refusal.Message, manifestPath),
        AuditChangeStep.HostPath => WrongHostPath(refusal.Message, manifestPath),
        AuditChangeStep.ReadFailed => ReadFailed(refusal.Target, refusal.Exception!),
        _ => ManifestFailed(refusal.Diagnostics, manifestPath, $"{verb} auditing in"),
    };

    /// <summary>A manifest Get-KubeApiServerAuditConfig cannot read as an API-server Pod.</summary>
    public static ErrorRecord ManifestUnreadable(ManifestProblem problem, string manifestPath)
    {
        var message = $"{manifestPath}{(problem.Line > 0 ? ":" + problem.Line : string.Empty)}: {problem.Message}";
        return Simple(new InvalidDataException(message), "KubeAudit." + problem.Code, CategoryFor(problem.Code), manifestPath);
    }

    /// <summary>A policy to install that kube-apiserver would not load, or that has errors; nothing was written.</summary>
    public static ErrorRecord InvalidAuditPolicy(PolicyCheckResult result, string manifestPath)
    {
        var errors = result.Findings.Where(f => f.Severity == "Error").ToList();
        var lines = string.Join(Environment.NewLine, errors.Select(f => "  " + f));
        var message = $"The audit policy {result.File ?? "given"} is not valid, so nothing was written; {errors.Count} error(s):{Environment.NewLine}{lines}";
        return new ErrorRecord(new InvalidDataException(message), InvalidAuditPolicyId, ErrorCategory.InvalidData, manifestPath)
        {
            ErrorDetails = new ErrorDetails(message) { RecommendedAction = "Run Test-KubeAuditPolicy -Detailed on the policy and fix the errors." },
        };
    }

    /// <summary>A host path that has the wrong kind (a file where a folder is needed, or the reverse).</summary>
    public static ErrorRecord WrongHostPath(string message, string manifestPath) =>
        Simple(new IOException(message), InvalidHostPathId, ErrorCategory.InvalidArgument, manifestPath);

    /// <summary>The API server did not become healthy after the manifest was written; the message says what was restored and why.</summary>
    public static ErrorRecord ApiServerUnhealthy(string message, string manifestPath) =>
        new(new TimeoutException(message), ApiServerUnhealthyId, ErrorCategory.OperationTimeout, manifestPath)
        {
            ErrorDetails = new ErrorDetails(message)
            {
                RecommendedAction = "Fix the errors shown (often the policy file or a mount), then run Enable-KubeApiServerAudit again.",
            },
        };

    /// <summary>A parameter value the command cannot use.</summary>
    public static ErrorRecord InvalidArgument(string message, object? target) =>
        new(new ArgumentException(message), InvalidArgumentId, ErrorCategory.InvalidArgument, target);

    private static ErrorRecord Simple(Exception exception, string id, ErrorCategory category, object target) =>
        new(exception, id, category, target) { ErrorDetails = new ErrorDetails(exception.Message) };

    private static string? ActionFor(string code) => code switch
    {
        DiagnosticCodes.AuditFlagConflict or DiagnosticCodes.AuditLogFileMounted => "Use -Force to overwrite the existing values, or pass the values already set.",
        DiagnosticCodes.DuplicateFlag => "Remove the duplicate flags from the manifest, then run the command again.",
        DiagnosticCodes.UnsupportedManifestLayout => "Add the audit flags and volumes by hand; Get-KubeApiServerAuditConfig checks the result.",
        _ => null,
    };
}
