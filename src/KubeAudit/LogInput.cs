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
    /// <remarks>
    /// With <paramref name="follow"/>, a file that does not exist yet in a folder that does is waited for,
    /// like <c>tail -F</c> (the API server creates its log at its first event); a missing folder is still an error.
    /// </remarks>
    public static IReadOnlyList<string> ResolveFiles(PSCmdlet cmdlet, string[] paths, bool literal, bool follow = false)
    {
        var files = new List<string>();
        var existing = new List<string>();
        foreach (var path in paths)
        {
            if (follow && ToCome(cmdlet, path, literal) is { } later)
            {
                cmdlet.WriteVerbose($"Waiting for '{later}' to appear; its events are read from its start.");
                files.Add(later);
            }
            else
            {
                existing.Add(path);
            }
        }

        foreach (var path in PathResolver.Resolve(cmdlet, existing, literal, cmdlet.WriteError))
        {
            if (!Directory.Exists(path))
            {
                files.Add(path);
                continue;
            }

            var logs = RotatedLogSet.ExpandFolder(path);
            if (logs.Count == 0)
            {
                cmdlet.WriteError(Errors.NoLogsInFolder(path));
            }

            files.AddRange(logs);
        }

        return RotatedLogSet.Order(files);
    }

    // A path naming no file yet whose folder exists: one to wait for. Wildcards match only what exists.
    private static string? ToCome(PSCmdlet cmdlet, string path, bool literal)
    {
        if (!literal && WildcardPattern.ContainsWildcardCharacters(path))
        {
            return null;
        }

        try
        {
            var full = cmdlet.SessionState.Path.GetUnresolvedProviderPathFromPSPath(path, out var provider, out _);
            return provider.Name == "FileSystem" && !File.Exists(full) && !Directory.Exists(full)
                && Path.GetDirectoryName(full) is { } folder && Directory.Exists(folder) ? full : null;
        }
        catch (Exception ex) when (ex is ProviderNotFoundException or System.Management.Automation.DriveNotFoundException or PSArgumentException or ItemNotFoundException)
        {
            return null;
        }
    }

    /// <summary>
    /// Follows the active file of the set (the last one), starting with its last <paramref name="tail"/> lines (null: all);
    /// <paramref name="caughtUp"/> runs on the enumerating thread each time everything there is has been read.
    /// </summary>
    public static IEnumerable<AuditLogRecord> Follow(PSCmdlet cmdlet, IReadOnlyList<string> files, int? tail, CancellationToken stop, Action? caughtUp = null)
    {
        // Following is of the file the API server writes: the active file of the set given.
        var active = files[^1];
        if (files.Count > 1)
        {
            cmdlet.WriteVerbose($"Following {active}, the newest of the {files.Count} files given.");
        }

        try
        {
            return new AuditLogFollower(new AuditLogFollowerOptions { Idle = caughtUp }).Follow(active, tail ?? -1, stop);
        }
        catch (ArgumentException ex)
        {
            cmdlet.WriteError(Errors.CannotFollow(active, ex));
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
        foreach (var record in SegmentedLogReader.Read([file], null, null, 1, stop: stop))
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
