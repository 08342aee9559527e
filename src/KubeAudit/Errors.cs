using System.Management.Automation;
using KubeAudit.Core.Diagnostics;

namespace KubeAudit.Commands;

/// <summary>
/// Builds the module's ErrorRecords, so IDs and categories stay consistent: a core <see cref="Diagnostic"/> or an
/// exception becomes an ErrorRecord here, the commands' own in Errors.Manifests.cs, Errors.Policy.cs, Errors.Threats.cs
/// and Errors.Rbac.cs, with their IDs as constants.
/// </summary>
internal static partial class Errors
{
    /// <summary>Turns a core diagnostic into an ErrorRecord with ID <c>KubeAudit.&lt;Code&gt;</c>; the diagnostic is the target.</summary>
    public static ErrorRecord FromDiagnostic(Diagnostic diagnostic)
    {
        var record = new ErrorRecord(
            new InvalidDataException(diagnostic.Message),
            "KubeAudit." + diagnostic.Code,
            CategoryFor(diagnostic.Code),
            diagnostic)
        {
            ErrorDetails = new ErrorDetails($"{diagnostic.Location}: {diagnostic.Message}"),
        };
        if (diagnostic.Snippet is { Length: > 0 } snippet)
        {
            record.ErrorDetails.RecommendedAction = "Check the input near: " + snippet;
        }

        return record;
    }

    /// <summary>The ordinary PowerShell "cannot find path" error.</summary>
    public static ErrorRecord PathNotFound(string path) =>
        new(
            new ItemNotFoundException($"Cannot find path '{path}' because it does not exist."),
            "PathNotFound",
            ErrorCategory.ObjectNotFound,
            path);

    /// <summary>A path on a provider other than the file system.</summary>
    public static ErrorRecord NotFileSystemPath(string path, string provider) =>
        new(
            new ArgumentException($"The path '{path}' is on the {provider} provider; KubeAudit reads files only."),
            "KubeAudit.NotFileSystemPath",
            ErrorCategory.InvalidArgument,
            path);

    /// <summary>A file that exists but could not be opened or read.</summary>
    public static ErrorRecord ReadFailed(string path, Exception exception) =>
        new(
            exception,
            "KubeAudit." + DiagnosticCodes.ReadFailed,
            exception is UnauthorizedAccessException ? ErrorCategory.PermissionDenied : ErrorCategory.ReadError,
            path);

    private static ErrorCategory CategoryFor(string code) => code switch
    {
        DiagnosticCodes.ReadFailed => ErrorCategory.ReadError,
        DiagnosticCodes.NotAnAuditEvent or DiagnosticCodes.NotAnAuditLog or DiagnosticCodes.NotAPolicy => ErrorCategory.InvalidType,
        DiagnosticCodes.ManifestWriteFailed => ErrorCategory.WriteError,
        DiagnosticCodes.AuditFlagConflict or DiagnosticCodes.AuditLogFileMounted => ErrorCategory.ResourceExists,
        DiagnosticCodes.NotAnApiServerPod or DiagnosticCodes.NotAKubeadmConfig => ErrorCategory.InvalidType,
        DiagnosticCodes.UnsupportedManifestLayout => ErrorCategory.NotImplemented,
        DiagnosticCodes.ManifestVerificationFailed => ErrorCategory.InvalidResult,
        DiagnosticCodes.InvalidAuditFlag => ErrorCategory.InvalidArgument,
        _ => ErrorCategory.InvalidData,
    };
}
