using System.Management.Automation;
using KubeAudit.Core.Events;
using KubeAudit.Core.Events.Filtering;
using KubeAudit.Core.Events.Reading;

namespace KubeAudit.Commands;

/// <summary>
/// Reads audit logs as Get-KubeAuditEvent does (same formats, folders, rotation order, errors), handing each event
/// to a command that consumes them (Find-KubeAuditThreat, the RBAC commands) and writing each reading problem.
/// </summary>
internal static class EventSource
{
    /// <summary>Resolves <paramref name="paths"/> and reads every event of the files found.</summary>
    public static void Read(PSCmdlet cmdlet, string[] paths, bool literal, Action<AuditEvent> take, CancellationToken stop, AuditEventFilter? filter = null)
    {
        var files = LogInput.ResolveFiles(cmdlet, paths, literal);
        if (files.Count > 0)
        {
            Read(cmdlet, files, take, stop, filter);
        }
    }

    /// <summary>Reads whole files on worker threads, in log order, with progress.</summary>
    public static void Read(PSCmdlet cmdlet, IReadOnlyList<string> files, Action<AuditEvent> take, CancellationToken stop, AuditEventFilter? filter = null)
    {
        var progress = new ReadProgress();
        var reporter = new ReadProgressReporter(cmdlet, progress);
        try
        {
            Take(cmdlet, SegmentedLogReader.Read(files, filter, progress, Environment.ProcessorCount, stop: stop), take, reporter, stop);
        }
        finally
        {
            reporter.Complete();
        }
    }

    /// <summary>Hands each event of <paramref name="records"/> to <paramref name="take"/> and writes each problem; Ctrl+C ends it quietly.</summary>
    public static void Take(PSCmdlet cmdlet, IEnumerable<AuditLogRecord> records, Action<AuditEvent> take, ReadProgressReporter? reporter, CancellationToken stop)
    {
        try
        {
            foreach (var record in records)
            {
                if (record.Event is { } ev)
                {
                    take(ev);
                }
                else if (record.Error is { } problem)
                {
                    RecordWriter.WriteProblem(cmdlet, problem);
                }

                reporter?.Tick();
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            // Ctrl+C.
        }
    }
}
