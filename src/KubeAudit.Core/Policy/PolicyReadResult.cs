using KubeAudit.Core.Diagnostics;

namespace KubeAudit.Core.Policy;

/// <summary>A policy as read from a file, with everything found wrong on the way.</summary>
/// <param name="Policy">The policy, or null when the file could not be read as one.</param>
/// <param name="Diagnostics">Errors and warnings, in file order.</param>
public sealed record PolicyReadResult(AuditPolicy? Policy, IReadOnlyList<Diagnostic> Diagnostics)
{
    /// <summary>Whether any diagnostic is an error.</summary>
    public bool HasErrors => Diagnostics.Any(d => d.Severity == DiagnosticSeverity.Error);
}
