using System.Management.Automation;
using KubeAudit.Core.Events;
using KubeAudit.Core.Events.Filtering;
using KubeAudit.Core.Events.Follow;
using KubeAudit.Core.Events.Formats;
using KubeAudit.Core.Events.Reading;
using KubeAudit.Core.Events.Rotation;

namespace KubeAudit.Commands;

/// <summary>
/// The log-reading plumbing the event cmdlets share (Get-KubeAuditEvent, Find-KubeAuditThreat): paths to
/// ordered log files, -Tail and -Follow. Problems go to the cmdlet's error stream; the rest still run.
/// </summary>
internal static class LogInput
{
    /// <summary>Folders become their audit logs; rotated sets (audit-&lt;time&gt;.log[.gz] and audit.log) are ordered oldest first.</summary>
    public static IReadOnlyList<string> ResolveFiles(PSCmdlet cmdlet, string[] paths, bool literal)
    {
        var files = new List<string>();
        foreach (var path in PathResolver.Resolve(cmdlet, paths, literal, cmdlet.WriteError))
        {
            if (!Directory.Exists(path))
            {
                files.Add(path);
                continue;
            }

            var logs = RotatedLogSet.ExpandFolder(path);
            if (logs.Count == 0)
            {
                cmdlet.WriteError(new ErrorRecord(
                    new FileNotFoundException($"The folder '{path}' holds no audit logs (*.log, *.gz, *.json, *.jsonl)."),
                    "KubeAudit.NoLogsInFolder",
                    ErrorCategory.ObjectNotFound,
                    path));
            }

            files.AddRange(logs);
        }

        return RotatedLogSet.Order(files);
    }

    /// <summary>Follows the active file of the set (the last one), starting with its last <paramref name="tail"/> lines (null: all).</summary>
    public static IEnumerable<AuditLogRecord> Follow(PSCmdlet cmdlet, IReadOnlyList<string> files, int? tail, CancellationToken stop)
    {
        // Following is of the file the API server writes: the active file of the set given.
        var active = files[^1];
        if (files.Count > 1)
        {
            cmdlet.WriteVerbose($"Following {active}, the newest of the {files.Count} files given.");
        }

        try
        {
            return new AuditLogFollower().Follow(active, tail ?? -1, stop);
        }
        catch (ArgumentException ex)
        {
            cmdlet.WriteError(new ErrorRecord(ex, "KubeAudit.CannotFollow", ErrorCategory.InvalidArgument, active));
            return [];
        }
    }

    /// <summary>The last <paramref name="lines"/> lines of a file, filtered after.</summary>
    public static IEnumerable<AuditLogRecord> Tail(PSCmdlet cmdlet, string file, int lines, AuditEventFilter? filter, CancellationToken stop)
    {
        AuditLogFormat format;
        try
        {
            format = AuditSource.DetectFileFormat(file);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or InvalidDataException)
        {
            cmdlet.WriteError(Errors.ReadFailed(file, ex));
            return [];
        }

        if (format == AuditLogFormat.JsonLines && !file.EndsWith(".gz", StringComparison.OrdinalIgnoreCase))
        {
            return TailReader.ReadLast(file, lines, filter, stop);
        }

        // Compressed files and documents cannot be read backwards: keep the last events of a full read.
        var last = new Queue<AuditLogRecord>();
        foreach (var record in SegmentedLogReader.Read([file], null, null, stop, 1))
        {
            if (record.Event is not null && lines > 0)
            {
                if (last.Count == lines)
                {
                    last.Dequeue();
                }

                last.Enqueue(record);
            }
        }

        return last.Where(r => filter is null || filter.IsEmpty || filter.Matches(r.Event!));
    }
}
