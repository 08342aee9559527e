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
        else if (record.Error is { } problem)
        {
            WriteProblem(cmdlet, problem);
        }
    }

    /// <summary>A reading problem: an error record for errors, a warning for the rest.</summary>
    public static void WriteProblem(Cmdlet cmdlet, Diagnostic problem)
    {
        if (problem.Severity == DiagnosticSeverity.Error)
        {
            cmdlet.WriteError(Errors.FromDiagnostic(problem));
        }
        else
        {
            cmdlet.WriteWarning(problem.ToString());
        }
    }
}
