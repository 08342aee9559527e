using KubeAudit.Core.Diagnostics;

namespace KubeAudit.Core.Events.Formats;

/// <summary>
/// Recognises events that an exporter cut short. CloudWatch Logs replaces the tail of an event over
/// its size limit with <c>[Truncated...]</c>; such an event is not JSON any more, and saying so
/// plainly beats a JSON syntax error.
/// </summary>
internal static class TruncatedEvents
{
    private static ReadOnlySpan<byte> Suffix => "[Truncated...]"u8;

    private static ReadOnlySpan<byte> AuditIdKey => "\"auditID\":\""u8;

    public static bool IsTruncated(ReadOnlySpan<byte> text) => text.TrimEnd(" \t\r\n"u8).EndsWith(Suffix);

    /// <summary>The diagnostic for a cut event: <paramref name="text"/> is what is left, <paramref name="where"/> what held it (e.g. "the CloudWatch message").</summary>
    public static Diagnostic Diagnose(ReadOnlySpan<byte> text, string where, string? file, long line, long column)
    {
        var kept = text.TrimEnd(" \t\r\n"u8).Length - Suffix.Length;
        var id = FindAuditId(text);
        return new Diagnostic(
            DiagnosticCodes.TruncatedEvent,
            DiagnosticSeverity.Error,
            $"The event{(id is null ? string.Empty : $" (auditID {id})")} was cut short by the log exporter: {where} ends with \"[Truncated...]\" " +
            $"after {kept} bytes. CloudWatch Logs truncates events over its size limit; the rest of the event is not in this export.",
            file,
            line,
            column,
            AuditEventParser.Snippet(text));
    }

    private static string? FindAuditId(ReadOnlySpan<byte> text)
    {
        var at = text.IndexOf(AuditIdKey);
        if (at < 0)
        {
            return null;
        }

        var rest = text[(at + AuditIdKey.Length)..];
        var end = rest.IndexOf((byte)'"');
        return end is > 0 and <= 128 ? PrintableText.Of(rest[..end], 128) : null;
    }
}
