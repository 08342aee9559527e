using System.Management.Automation;
using KubeAudit.Core.Events;
using KubeAudit.Core.Events.Filtering;
using KubeAudit.Core.Events.Follow;
using KubeAudit.Core.Events.Formats;
using KubeAudit.Core.Events.Reading;
using KubeAudit.Core.Events.Rotation;

namespace KubeAudit.Commands;

/// <summary>
/// Reading audit log files for the commands that read them (through <see cref="LogFileCommand"/>): paths to ordered
/// log files, then one read of them, whole, -Tail or -Follow. Problems go to the cmdlet's error stream; the rest still run.
/// </summary>
/// <remarks>
/// Two reads pass it by: Send-KubeAuditEvent -Follow follows with file positions for its checkpoint, and the subject
/// completer reads a few events under a time budget.
/// </remarks>
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

        // A path that does not resolve is left to the resolver of existing paths, which reports it.
        return PathResolver.ResolveFileSystem(cmdlet, path, out _) is { } full && !File.Exists(full) && !Directory.Exists(full)
            && Path.GetDirectoryName(full) is { } folder && Directory.Exists(folder) ? full : null;
    }

    /// <summary>
    /// The one read of resolved log files (every read of them but the two the class remarks name): whole files on
    /// worker threads with progress, or (<paramref name="tail"/>) the last lines of each file, or
    /// (<paramref name="follow"/>) the active file as the API server appends. Each event that passes <paramref name="filter"/> goes to
    /// <paramref name="take"/>, each reading problem to the error or warning stream; Ctrl+C ends it quietly.
    /// <paramref name="caughtUp"/> runs on this thread each time a follow has read everything there is.
    /// </summary>
    public static void Read(
        PSCmdlet cmdlet,
        IReadOnlyList<string> files,
        Action<AuditEvent> take,
        CancellationToken stop,
        AuditEventFilter? filter = null,
        bool follow = false,
        int? tail = null,
        Action? caughtUp = null)
    {
        filter = filter is { IsEmpty: false } ? filter : null;
        ReadProgressReporter? reporter = null;
        try
        {
            if (follow)
            {
                Take(cmdlet, Follow(cmdlet, files, tail, caughtUp, stop), filter, take, null);
            }
            else if (tail is { } lines)
            {
                foreach (var file in files)
                {
                    Take(cmdlet, Tail(cmdlet, file, lines, stop), filter, take, null);
                }
            }
            else
            {
                // Reading, parsing and filtering run on worker threads (large files in pieces) while this thread takes
                // the events in log order, which stateful consumers (threat rules) need.
                var progress = new ReadProgress();
                reporter = new ReadProgressReporter(cmdlet, progress);
                Take(cmdlet, SegmentedLogReader.Read(files, filter, progress, Environment.ProcessorCount, stop: stop), null, take, reporter);
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            // Ctrl+C: the pipeline is stopping (a follow ends only so).
        }
        finally
        {
            reporter?.Complete();
        }
    }

    // The hot loop of every read: no allocation per record, one delegate call per event.
    private static void Take(PSCmdlet cmdlet, IEnumerable<AuditLogRecord> records, AuditEventFilter? filter, Action<AuditEvent> take, ReadProgressReporter? reporter)
    {
        foreach (var record in records)
        {
            if (record.Event is { } ev)
            {
                if (filter is null || filter.Matches(ev))
                {
                    take(ev);
                }
            }
            else if (record.Error is { } problem)
            {
                RecordWriter.WriteProblem(cmdlet, problem);
            }

            reporter?.Tick();
        }
    }

    // Following is of the file the API server writes: the active file of the set given (the last), starting with its
    // last tail lines (null: all).
    private static IEnumerable<AuditLogRecord> Follow(PSCmdlet cmdlet, IReadOnlyList<string> files, int? tail, Action? caughtUp, CancellationToken stop)
    {
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

    // The last lines of a file, found backwards where the file allows it; the caller filters them.
    private static IEnumerable<AuditLogRecord> Tail(PSCmdlet cmdlet, string file, int lines, CancellationToken stop)
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
            return TailReader.ReadLast(file, lines, null, stop);
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

        return last;
    }
}
