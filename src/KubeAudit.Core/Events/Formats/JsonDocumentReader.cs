using System.Globalization;
using System.Runtime.ExceptionServices;
using System.Text.Json;
using KubeAudit.Core.Diagnostics;

namespace KubeAudit.Core.Events.Formats;

/// <summary>
/// Reads pretty-printed JSON: one document (event, array, EventList, Azure records) or several one after
/// another. The input is read whole, up to a limit, because a document's end is only known at its end.
/// A malformed document gives one InvalidJson diagnostic, then reading resumes at the next line that
/// starts a document in column 1.
/// </summary>
internal static class JsonDocumentReader
{
    private static readonly JsonReaderOptions s_options = new() { MaxDepth = 512 };

    public static IEnumerable<AuditLogRecord> Read(Stream stream, string? file, long firstLine, long maxBytes)
    {
        var buffer = ReadAll(stream, maxBytes, out var length, out var cut);
        if (buffer is null)
        {
            yield return new AuditLogRecord(null, TooLarge(file, firstLine, maxBytes));
            yield break;
        }

        foreach (var record in ReadBuffer(buffer.AsMemory(0, length), file, firstLine))
        {
            yield return record;
        }

        // A truncated archive: the documents it did hold came out first, then the reader reports the cut.
        cut?.Throw();
    }

    /// <summary>Reads the documents in <paramref name="text"/>, which starts on line <paramref name="firstLine"/>.</summary>
    public static IEnumerable<AuditLogRecord> ReadBuffer(ReadOnlyMemory<byte> text, string? file, long firstLine)
    {
        var lines = new LineCounter(text, firstLine);
        var dispatcher = new JsonValueDispatcher(new AuditEventParser(), file);
        var output = new List<AuditLogRecord>();
        var pos = text.Span.StartsWith("\uFEFF"u8) ? 3 : 0;
        while (true)
        {
            pos = SkipWhitespace(text.Span, pos);
            if (pos >= text.Length)
            {
                yield break;
            }

            if (TryFindEnd(text.Span, pos, out var end, out var failure))
            {
                dispatcher.Dispatch(text, pos, end, lines, null, output);
                pos = end;
            }
            else
            {
                var line = lines.LineAt(pos);
                var column = lines.ColumnAt(pos);
                var errorLine = line + (failure!.LineNumber ?? 0);
                var errorColumn = (failure.BytePositionInLine ?? 0) + 1 + (errorLine == line ? column - 1 : 0);
                output.Add(new AuditLogRecord(null, new Diagnostic(
                    DiagnosticCodes.InvalidJson,
                    DiagnosticSeverity.Error,
                    $"The JSON document starting on line {line.ToString(CultureInfo.InvariantCulture)} is not valid: {PrintableText.Of(TrimMessage(failure.Message))}",
                    file,
                    errorLine,
                    errorColumn,
                    AuditEventParser.Snippet(text.Span[pos..]))));
                pos = NextDocumentStart(text.Span, lines.OffsetOfLine(errorLine));
            }

            foreach (var record in output)
            {
                yield return record;
            }

            output.Clear();
            if (pos < 0)
            {
                yield break;
            }
        }
    }

    /// <summary>Reads the stream to its end; null when it holds more than <paramref name="maxBytes"/>.</summary>
    internal static byte[]? ReadAll(Stream stream, long maxBytes, out int length, out ExceptionDispatchInfo? cut)
    {
        cut = null;
        var limit = (int)Math.Min(maxBytes, Array.MaxLength);
        var buffer = new byte[(int)Math.Min(limit + 1L, 64 * 1024)];
        length = 0;
        while (true)
        {
            if (length == buffer.Length)
            {
                if (length > limit)
                {
                    return null;
                }

                Array.Resize(ref buffer, (int)Math.Min(limit + 1L, buffer.Length * 2L));
            }

            int read;
            try
            {
                read = stream.Read(buffer, length, buffer.Length - length);
            }
            catch (InvalidDataException ex)
            {
                cut = ExceptionDispatchInfo.Capture(ex);
                read = 0;
            }

            if (read == 0)
            {
                return length > limit ? null : buffer;
            }

            length += read;
        }
    }

    internal static Diagnostic TooLarge(string? file, long line, long maxBytes) => new(
        DiagnosticCodes.DocumentTooLarge,
        DiagnosticSeverity.Error,
        $"The JSON document is larger than {maxBytes / (1024 * 1024)} MiB, the most that is read whole into memory; nothing was read from it. " +
        "Convert it to JSON lines first, e.g. jq -c '.items[]' (EventList), jq -c '.[]' (array) or jq -c '.records[]' (Azure records).",
        file,
        line);

    private static bool TryFindEnd(ReadOnlySpan<byte> text, int start, out int end, out JsonException? failure)
    {
        failure = null;
        end = start;
        try
        {
            var reader = new Utf8JsonReader(text[start..], s_options);
            reader.Read();
            reader.Skip();
            end = start + (int)reader.BytesConsumed;
            return true;
        }
        catch (JsonException ex)
        {
            failure = ex;
            return false;
        }
    }

    // The next line (after the one with the error) that opens a document in column 1, or -1.
    private static int NextDocumentStart(ReadOnlySpan<byte> text, int errorLineStart)
    {
        if (errorLineStart < 0)
        {
            return -1;
        }

        var at = errorLineStart;
        while (true)
        {
            var newline = text[at..].IndexOf((byte)'\n');
            if (newline < 0)
            {
                return -1;
            }

            at += newline + 1;
            if (at < text.Length && text[at] is (byte)'{' or (byte)'[')
            {
                return at;
            }
        }
    }

    private static int SkipWhitespace(ReadOnlySpan<byte> text, int pos)
    {
        while (pos < text.Length && text[pos] is (byte)' ' or (byte)'\t' or (byte)'\r' or (byte)'\n')
        {
            pos++;
        }

        return pos;
    }

    // System.Text.Json appends its own position text; the diagnostic carries line and column instead.
    private static string TrimMessage(string message)
    {
        var cut = message.IndexOf(" LineNumber:", StringComparison.Ordinal);
        return (cut > 0 ? message[..cut] : message).TrimEnd('.', ' ') + ".";
    }
}
