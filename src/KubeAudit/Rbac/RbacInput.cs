using System.Management.Automation;
using KubeAudit.Core.Diagnostics;
using KubeAudit.Core.Rbac;

namespace KubeAudit.Commands.Rbac;

/// <summary>Reads RBAC YAML/JSON files (folders: their *.yaml, *.yml and *.json); each unusable document is one error, the rest are used.</summary>
internal static class RbacInput
{
    private static readonly string[] s_patterns = ["*.yaml", "*.yml", "*.json"];

    public static RbacGrantIndex Load(PSCmdlet cmdlet, string[] paths)
    {
        var result = new RbacReadResult();
        foreach (var path in PathResolver.Resolve(cmdlet, paths, literal: false, cmdlet.WriteError))
        {
            var files = Directory.Exists(path)
                ? s_patterns.SelectMany(p => Directory.EnumerateFiles(path, p)).Order(StringComparer.Ordinal).ToList()
                : [path];
            foreach (var file in files)
            {
                RbacDocumentReader.ReadFile(file, result);
            }
        }

        var notes = new List<Diagnostic>(result.Diagnostics);
        var index = new RbacGrantIndex(result.Roles, result.Bindings, notes);
        foreach (var note in notes)
        {
            RecordWriter.WriteProblem(cmdlet, note);
        }

        cmdlet.WriteVerbose($"RBAC: {result.Roles.Count} role(s), {result.Bindings.Count} binding(s), {index.Grants.Count} grant(s).");
        return index;
    }
}
