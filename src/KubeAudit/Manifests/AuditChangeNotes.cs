using System.Management.Automation;
using KubeAudit.Core.Manifests;

namespace KubeAudit.Commands.Manifests;

/// <summary>Writes what an audit change reports, in order, to the cmdlet's verbose and warning streams.</summary>
internal static class AuditChangeNotes
{
    public static void WriteNotes(this Cmdlet cmdlet, IEnumerable<AuditChangeNote> notes)
    {
        foreach (var note in notes)
        {
            if (note.IsWarning)
            {
                cmdlet.WriteWarning(note.Text);
            }
            else
            {
                cmdlet.WriteVerbose(note.Text);
            }
        }
    }
}
