using System.Management.Automation;
using KubeAudit.Core.Events;
using KubeAudit.Core.Events.Filtering;
using KubeAudit.Core.Events.Reading;

namespace KubeAudit.Commands.Rbac;

/// <summary>Reads audit logs as Get-KubeAuditEvent does (same formats, folders, rotation order, errors), event by event.</summary>
internal static class EventSource
{
    public static void Read(PSCmdlet cmdlet, string[] paths, bool literal, Action<AuditEvent> take, CancellationToken stop, AuditEventFilter? filter = null)
    {
        var files = LogInput.ResolveFiles(cmdlet, paths, literal);
        if (files.Count == 0)
        {
            return;
        }

        var progress = new ReadProgress();
        var reporter = new ReadProgressReporter(cmdlet, progress);
        try
        {
            foreach (var record in SegmentedLogReader.Read(files, filter, progress, stop, Environment.ProcessorCount))
            {
                if (record.Event is { } ev)
                {
                    take(ev);
                }
                else if (record.Error is { } problem)
                {
                    RecordWriter.WriteProblem(cmdlet, problem);
                }

                reporter.Tick();
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            // Ctrl+C.
        }
        finally
        {
            reporter.Complete();
        }
    }
}
