using System.Management.Automation;
using KubeAudit.Core.Diagnostics;

namespace KubeAudit.Commands;

/// <summary>
/// Builds every ErrorRecord the module writes, so IDs, categories and messages stay consistent: no code outside this
/// class calls <c>new ErrorRecord</c>. A core <see cref="Diagnostic"/> becomes one here (its ID is
/// <c>KubeAudit.&lt;Code&gt;</c>), as do the path, read and write errors every command shares; each area's own are in
/// Errors.&lt;Area&gt;.cs (Compliance, Events, Manifests, Policy, Rbac, Stores, Threats, Webhook), with their fixed IDs
/// as constants.
/// </summary>
internal static partial class Errors
{
    /// <summary>Error ID <c>PathNotFound</c>, the one PowerShell's own cmdlets use.</summary>
    public const string PathNotFoundId = "PathNotFound";

    /// <summary>Error ID <c>KubeAudit.NotFileSystemPath</c>.</summary>
    public const string NotFileSystemPathId = "KubeAudit.NotFileSystemPath";

    /// <summary>Error ID <c>KubeAudit.InvalidPath</c>.</summary>
    public const string InvalidPathId = "KubeAudit.InvalidPath";

    /// <summary>Error ID <c>KubeAudit.ReadFailed</c>.</summary>
    public const string ReadFailedId = "KubeAudit." + DiagnosticCodes.ReadFailed;

    /// <summary>Error ID <c>KubeAudit.FileExists</c>.</summary>
    public const string FileExistsId = "KubeAudit.FileExists";

    /// <summary>Error ID <c>KubeAudit.WriteFailed</c>.</summary>
    public const string WriteFailedId = "KubeAudit.WriteFailed";

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
            PathNotFoundId,
            ErrorCategory.ObjectNotFound,
            path);

    /// <summary>A path on a provider other than the file system.</summary>
    public static ErrorRecord NotFileSystemPath(string path, string provider) =>
        new(
            new ArgumentException($"The path '{path}' is on the {provider} provider; KubeAudit reads files only."),
            NotFileSystemPathId,
            ErrorCategory.InvalidArgument,
            path);

    /// <summary>A file that exists but could not be opened or read.</summary>
    public static ErrorRecord ReadFailed(string path, Exception exception) =>
        new(exception, ReadFailedId, DeniedOr(exception, ErrorCategory.ReadError), path);

    /// <summary>A path the provider cannot take (an unknown drive or provider, a malformed path).</summary>
    public static ErrorRecord InvalidPath(string path, Exception exception) =>
        new(exception, InvalidPathId, ErrorCategory.InvalidArgument, path);

    /// <summary>
    /// A file that is already there and may not be replaced; <paramref name="remedy"/> (without its full stop) says how to
    /// replace it, null when the command has no way to (Export-KubeAuditEvent -NoClobber).
    /// </summary>
    public static ErrorRecord FileExists(string path, string? remedy = "use -Force to replace it") =>
        new(
            new IOException(remedy is null ? $"The file '{path}' already exists." : $"The file '{path}' already exists; {remedy}."),
            FileExistsId,
            ErrorCategory.ResourceExists,
            path);

    /// <summary>A file that could not be written; access denied is PermissionDenied.</summary>
    public static ErrorRecord WriteFailed(string path, Exception exception) =>
        new(exception, WriteFailedId, DeniedOr(exception, ErrorCategory.WriteError), path);

    // Access denied is PermissionDenied whatever the operation, as PowerShell's own file cmdlets report it.
    private static ErrorCategory DeniedOr(Exception exception, ErrorCategory otherwise) =>
        exception is UnauthorizedAccessException ? ErrorCategory.PermissionDenied : otherwise;

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
