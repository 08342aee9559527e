using System.Management.Automation;

namespace KubeAudit.Commands;

/// <summary>The event commands' ErrorRecords: reading logs and writing them (the rest of <see cref="Errors"/> is in Errors*.cs).</summary>
internal static partial class Errors
{
    /// <summary>Error ID <c>KubeAudit.NoLogsInFolder</c>.</summary>
    public const string NoLogsInFolderId = "KubeAudit.NoLogsInFolder";

    /// <summary>Error ID <c>KubeAudit.CannotFollow</c>.</summary>
    public const string CannotFollowId = "KubeAudit.CannotFollow";

    /// <summary>Error ID <c>KubeAudit.IncludeOriginalNeedsEcs</c>.</summary>
    public const string IncludeOriginalNeedsEcsId = "KubeAudit.IncludeOriginalNeedsEcs";

    /// <summary>Error ID <c>KubeAudit.NoEventJson</c>.</summary>
    public const string NoEventJsonId = "KubeAudit.NoEventJson";

    /// <summary>A folder given as a log that holds no audit log files.</summary>
    public static ErrorRecord NoLogsInFolder(string folder) =>
        new(
            new FileNotFoundException($"The folder '{folder}' holds no audit logs (*.log, *.gz, *.json, *.jsonl)."),
            NoLogsInFolderId,
            ErrorCategory.ObjectNotFound,
            folder);

    /// <summary>A file -Follow cannot follow (a compressed or document log, say); the follower's exception says why.</summary>
    public static ErrorRecord CannotFollow(string file, ArgumentException exception) =>
        new(exception, CannotFollowId, ErrorCategory.InvalidArgument, file);

    /// <summary>Export-KubeAuditEvent -IncludeOriginal without -Format Ecs; the switch is the target.</summary>
    public static ErrorRecord IncludeOriginalNeedsEcs(SwitchParameter includeOriginal) =>
        new(
            new ArgumentException("-IncludeOriginal applies to -Format Ecs only: the AuditLog format writes each event as read."),
            IncludeOriginalNeedsEcsId,
            ErrorCategory.InvalidArgument,
            includeOriginal);

    /// <summary>An event Export-KubeAuditEvent cannot write (one without its JSON); the event is the target.</summary>
    public static ErrorRecord NoEventJson(AuditEvent auditEvent, InvalidOperationException exception) =>
        new(exception, NoEventJsonId, ErrorCategory.InvalidData, auditEvent);
}
