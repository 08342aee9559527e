namespace KubeAudit.Core.Diagnostics;

/// <summary>
/// A problem found in an input, with where it is. The core returns these instead of throwing,
/// and the cmdlets turn them into ErrorRecords with the ID <c>KubeAudit.&lt;Code&gt;</c>.
/// </summary>
/// <param name="Code">Stable token, e.g. <c>InvalidJson</c>.</param>
/// <param name="Severity">How serious.</param>
/// <param name="Message">What is wrong, for a person.</param>
/// <param name="File">The file, if the input came from one.</param>
/// <param name="Line">1-based line, 0 when unknown.</param>
/// <param name="Column">1-based column, 0 when unknown.</param>
/// <param name="Snippet">A short excerpt of the offending input.</param>
public sealed record Diagnostic(
    string Code,
    DiagnosticSeverity Severity,
    string Message,
    string? File = null,
    long Line = 0,
    long Column = 0,
    string? Snippet = null)
{
    /// <summary>Where, as <c>file:line:column</c>.</summary>
    public string Location =>
        (File ?? "<input>") + (Line > 0 ? ":" + Line + (Column > 0 ? ":" + Column : string.Empty) : string.Empty);

    /// <inheritdoc />
    public override string ToString() => $"{Location}: {Severity} {Code}: {Message}";
}
