namespace KubeAudit.Core.Compliance;

/// <summary>The stable names of the compliance checks, in suite order; the same in every benchmark version.</summary>
public static class CheckNames
{
    /// <summary><c>--audit-log-path</c> set, to a file in a mounted, writable folder (CIS 1.2.16 in 1.9–1.12).</summary>
    public const string AuditLogPath = nameof(AuditLogPath);

    /// <summary><c>--audit-log-maxage</c> at least the threshold (CIS 1.2.17).</summary>
    public const string AuditLogMaxAge = nameof(AuditLogMaxAge);

    /// <summary><c>--audit-log-maxbackup</c> at least the threshold (CIS 1.2.18).</summary>
    public const string AuditLogMaxBackup = nameof(AuditLogMaxBackup);

    /// <summary><c>--audit-log-maxsize</c> at least the threshold (CIS 1.2.19).</summary>
    public const string AuditLogMaxSize = nameof(AuditLogMaxSize);

    /// <summary><c>--audit-policy-file</c> set, mounted, present and valid (CIS 3.2.1).</summary>
    public const string AuditPolicyFile = nameof(AuditPolicyFile);

    /// <summary>Secrets, ConfigMaps and TokenReviews at exactly Metadata (CIS 3.2.2).</summary>
    public const string PolicyCredentialsAtMetadata = nameof(PolicyCredentialsAtMetadata);

    /// <summary>pods/exec, attach and portforward logged (CIS 3.2.2).</summary>
    public const string PolicyPodAccessLogged = nameof(PolicyPodAccessLogged);

    /// <summary>RBAC changes logged (CIS 3.2.2).</summary>
    public const string PolicyRbacChangesLogged = nameof(PolicyRbacChangesLogged);

    /// <summary>Pod and Deployment changes logged (CIS 3.2.2).</summary>
    public const string PolicyWorkloadChangesLogged = nameof(PolicyWorkloadChangesLogged);

    /// <summary>No request class dropped for want of a catch-all rule (CIS 3.2.2).</summary>
    public const string PolicyHasCatchAll = nameof(PolicyHasCatchAll);

    /// <summary>Log files and folder not accessible to other users (KubeAudit).</summary>
    public const string LogFilePermissions = nameof(LogFilePermissions);

    /// <summary>The log written recently (KubeAudit; needs a log path).</summary>
    public const string LogRecentlyWritten = nameof(LogRecentlyWritten);

    /// <summary>Every check, in suite order.</summary>
    public static IReadOnlyList<string> All { get; } =
    [
        AuditLogPath, AuditLogMaxAge, AuditLogMaxBackup, AuditLogMaxSize, AuditPolicyFile,
        PolicyCredentialsAtMetadata, PolicyPodAccessLogged, PolicyRbacChangesLogged, PolicyWorkloadChangesLogged, PolicyHasCatchAll,
        LogFilePermissions, LogRecentlyWritten,
    ];

    /// <summary>The area tag of a check: AuditLog, AuditPolicy or LogFiles.</summary>
    public static string AreaOf(string name) => name switch
    {
        AuditLogPath or AuditLogMaxAge or AuditLogMaxBackup or AuditLogMaxSize => "AuditLog",
        LogFilePermissions or LogRecentlyWritten => "LogFiles",
        _ => "AuditPolicy",
    };
}
