namespace KubeAudit.Core.Diagnostics;

/// <summary>How serious a diagnostic is.</summary>
public enum DiagnosticSeverity
{
    /// <summary>The input cannot be used as written.</summary>
    Error,

    /// <summary>Accepted, but probably not what was meant.</summary>
    Warning,

    /// <summary>Worth knowing.</summary>
    Info,
}
