using System.Globalization;
using KubeAudit.Core.Diagnostics;

namespace KubeAudit.Core.Events.Reading;

/// <summary>
/// A run of NUL bytes at the start of a line: what a crash leaves where the file system had allocated
/// blocks the writer never filled. The writer then carries on right after the run, on the same line, so
/// the run is skipped with a warning and whatever follows it is read.
/// </summary>
internal static class NulRun
{
    /// <summary>How many NUL bytes (with any blanks among them) start <paramref name="line"/>; 0 when it does not start with NUL.</summary>
    public static int Length(ReadOnlySpan<byte> line)
    {
        if (line.IsEmpty || line[0] != 0)
        {
            return 0;
        }

        var end = line.IndexOfAnyExcept("\0 \t\r"u8);
        return end < 0 ? line.Length : end;
    }

    public static Diagnostic Skipped(ReadOnlySpan<byte> run, string? file, long line) => new(
        DiagnosticCodes.NulBytesSkipped,
        DiagnosticSeverity.Warning,
        $"Skipped {run.Count((byte)0).ToString(CultureInfo.InvariantCulture)} NUL bytes at the start of the line (left by a crash with preallocated blocks); what follows them was read.",
        file,
        line,
        1);
}
