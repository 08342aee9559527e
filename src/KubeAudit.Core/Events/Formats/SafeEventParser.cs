using KubeAudit.Core.Diagnostics;

namespace KubeAudit.Core.Events.Formats;

/// <summary>
/// Calls <see cref="AuditEventParser.Parse"/> and turns the one exception it lets out into a diagnostic:
/// System.Text.Json throws <see cref="InvalidOperationException"/> when an escaped string is not valid
/// UTF-16 (a lone surrogate such as <c>\ud800</c>), which is well-formed JSON but not text.
/// </summary>
internal static class SafeEventParser
{
    public static AuditEvent? Parse(AuditEventParser parser, ReadOnlyMemory<byte> json, string? file, long line, out Diagnostic? error)
    {
        try
        {
            return parser.Parse(json, file, line, out error);
        }
        catch (InvalidOperationException ex)
        {
            error = NotText(ex, file, line, json.Span);
            return null;
        }
    }

    public static Diagnostic NotText(InvalidOperationException ex, string? file, long line, ReadOnlySpan<byte> json) => new(
        DiagnosticCodes.InvalidJson,
        DiagnosticSeverity.Error,
        "The line is not valid JSON text: a string in it is not valid Unicode (" + ex.Message.TrimEnd('.') + ").",
        file,
        line,
        1,
        AuditEventParser.Snippet(json));
}
