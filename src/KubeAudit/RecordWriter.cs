using System.Management.Automation;
using KubeAudit.Core.Diagnostics;
using KubeAudit.Core.Events;

namespace KubeAudit.Commands;

/// <summary>Writes what reading gave: events to the output, errors and warnings to their streams.</summary>
internal static class RecordWriter
{
    public static void Write(Cmdlet cmdlet, AuditLogRecord record)
    {
        if (record.Event is { } ev)
        {
            cmdlet.WriteObject(ev);
        }
        else if (record.Error is { Severity: DiagnosticSeverity.Error } error)
        {
            cmdlet.WriteError(Errors.FromDiagnostic(error));
        }
        else if (record.Error is { } note)
        {
            cmdlet.WriteWarning(note.ToString());
        }
    }
}
