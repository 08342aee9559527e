using System.Management.Automation;

namespace KubeAudit.Commands;

/// <summary>The policy commands' ErrorRecords (the rest of <see cref="Errors"/> is in Errors*.cs).</summary>
internal static partial class Errors
{
    /// <summary>Error ID <c>KubeAudit.AmbiguousPolicyPath</c>.</summary>
    public const string AmbiguousPolicyPathId = "KubeAudit.AmbiguousPolicyPath";

    /// <summary>Error ID <c>KubeAudit.InvalidKubernetesVersion</c>.</summary>
    public const string InvalidKubernetesVersionId = "KubeAudit.InvalidKubernetesVersion";

    /// <summary>Error ID <c>KubeAudit.InvalidPolicy</c>.</summary>
    public const string InvalidPolicyId = "KubeAudit.InvalidPolicy";

    /// <summary>Error ID <c>KubeAudit.InvalidPolicyArgument</c>.</summary>
    public const string InvalidPolicyArgumentId = "KubeAudit.InvalidPolicyArgument";

    /// <summary>Error ID <c>KubeAudit.InvalidRequest</c>.</summary>
    public const string InvalidRequestId = "KubeAudit.InvalidRequest";

    /// <summary>Error ID <c>KubeAudit.PathIsDirectory</c>.</summary>
    public const string PathIsDirectoryId = "KubeAudit.PathIsDirectory";

    /// <summary>A policy kube-apiserver would refuse to load; the check result (file and findings) is the target.</summary>
    public static ErrorRecord InvalidPolicy(PolicyCheckResult result)
    {
        var rejected = result.Findings.Where(f => f.RejectedByApiServer).ToList();
        var lines = string.Join(Environment.NewLine, rejected.Select(f => "  " + f));
        var message = $"kube-apiserver would not load the policy {result.File ?? "given"}; {rejected.Count} error(s):{Environment.NewLine}{lines}";
        return new ErrorRecord(new InvalidDataException(message), InvalidPolicyId, ErrorCategory.InvalidData, result)
        {
            ErrorDetails = new ErrorDetails(message) { RecommendedAction = "Run Test-KubeAuditPolicy -Detailed on the policy and fix the errors." },
        };
    }

    /// <summary>A -Policy value that is neither a path nor a policy object.</summary>
    public static ErrorRecord NotAPolicyArgument(object? value) =>
        new(
            new ArgumentException($"-Policy takes a policy file path or a KubeAudit.AuditPolicy (from Get-KubeAuditPolicy), not {(value is null ? "null" : value.GetType().FullName)}."),
            InvalidPolicyArgumentId,
            ErrorCategory.InvalidArgument,
            value);

    /// <summary>A -Policy path that names more than one file.</summary>
    public static ErrorRecord AmbiguousPolicyPath(string path, IReadOnlyList<string> files) =>
        new(
            new ArgumentException($"-Policy '{path}' matches {files.Count} files ({string.Join(", ", files.Take(3))}{(files.Count > 3 ? ", ..." : string.Empty)}); give one policy file."),
            AmbiguousPolicyPathId,
            ErrorCategory.InvalidArgument,
            path);

    /// <summary>A folder where a file is needed.</summary>
    public static ErrorRecord PathIsDirectory(string path, string pattern) =>
        new(
            new IOException($"'{path}' is a directory; give the files in it, e.g. '{Path.Combine(path, pattern)}'."),
            PathIsDirectoryId,
            ErrorCategory.InvalidArgument,
            path);

    /// <summary>-KubernetesVersion that is not 1.x.</summary>
    public static ErrorRecord InvalidKubernetesVersion(string version) =>
        new(
            new ArgumentException($"'{version}' is not a Kubernetes version; give it as 1.29, v1.29 or 1.29.3."),
            InvalidKubernetesVersionId,
            ErrorCategory.InvalidArgument,
            version);

    /// <summary>A request parameter that contradicts another.</summary>
    public static ErrorRecord InvalidRequest(string message, object? target) =>
        new(new ArgumentException(message), InvalidRequestId, ErrorCategory.InvalidArgument, target);
}
