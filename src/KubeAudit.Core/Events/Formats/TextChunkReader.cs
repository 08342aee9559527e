using System.Text;

namespace KubeAudit.Core.Events.Formats;

/// <summary>
/// Reads audit data handed over as strings (pipeline input): each string may be one line, a whole
/// document or many lines. A string that opens a JSON value it does not close starts a document that
/// later strings complete (the lines of a pretty-printed file, one per string, as Get-Content gives
/// them). Line numbers count across strings, each string starting on a new line.
/// </summary>
internal static class TextChunkReader
{
    public static IEnumerable<AuditLogRecord> Read(IEnumerable<string> chunks, string? source, long maxDocumentBytes)
    {
        var dispatcher = new LineDispatcher(source);
        var scanner = new JsonDepthScanner();
        var output = new List<AuditLogRecord>();
        StringBuilder? pending = null;
        long pendingLine = 0, pendingBytes = 0, line = 1;
        var skipping = false; // inside a document that was too large, until it closes
        var pendingIsObject = false;

        foreach (var raw in chunks)
        {
            var text = WithoutFinalNewline(raw ?? string.Empty);
            var span = 1 + text.AsSpan().Count('\n');

            if (skipping)
            {
                scanner.Feed(text);
                skipping = scanner.IsOpen;
                line += span;
                continue;
            }

            if (pending is not null)
            {
                // A whole object on a line of its own, in column 1, cannot be inside an open object:
                // the pending one was cut short. (Inside an array it can, so arrays wait for their end.)
                var restart = pendingIsObject && text.Length > 0 && text[0] == '{' && JsonDepthScanner.IsWhole(text);
                if (!restart)
                {
                    pending.Append('\n').Append(text);
                    pendingBytes += Encoding.UTF8.GetByteCount(text) + 1;
                    scanner.Feed("\n");
                    scanner.Feed(text);
                    line += span;
                    if (pendingBytes > maxDocumentBytes)
                    {
                        dispatcher.Flush(output);
                        output.Add(new AuditLogRecord(null, JsonDocumentReader.TooLarge(source, pendingLine, maxDocumentBytes)));
                        pending = null;
                        skipping = scanner.IsOpen;
                    }
                    else if (!scanner.IsOpen)
                    {
                        ReadUnit(pending.ToString(), pendingLine, source, maxDocumentBytes, dispatcher, output);
                        pending = null;
                    }

                    foreach (var record in output)
                    {
                        yield return record;
                    }

                    output.Clear();
                    continue;
                }

                ReadUnit(pending.ToString(), pendingLine, source, maxDocumentBytes, dispatcher, output);
                pending = null;
            }

            var trimmed = text.AsSpan().Trim(" \t\r\n\uFEFF");
            if (trimmed.Length > 0 && trimmed[0] is '{' or '[')
            {
                scanner.Reset();
                scanner.Feed(text);
                if (scanner.IsOpen)
                {
                    pending = new StringBuilder(text);
                    pendingIsObject = trimmed[0] == '{';
                    pendingLine = line;
                    pendingBytes = Encoding.UTF8.GetByteCount(text);
                    line += span;
                    foreach (var record in output)
                    {
                        yield return record;
                    }

                    output.Clear();
                    continue;
                }
            }

            if (trimmed.Length > 0)
            {
                if (span == 1)
                {
                    dispatcher.Dispatch(Encoding.UTF8.GetBytes(text), line, null, output);
                }
                else
                {
                    ReadUnit(text, line, source, maxDocumentBytes, dispatcher, output);
                }
            }

            line += span;
            foreach (var record in output)
            {
                yield return record;
            }

            output.Clear();
        }

        if (pending is not null)
        {
            ReadUnit(pending.ToString(), pendingLine, source, maxDocumentBytes, dispatcher, output);
        }

        dispatcher.Flush(output);
        foreach (var record in output)
        {
            yield return record;
        }
    }

    // Several lines at once: detect their format like a file's. Whatever the line dispatcher still holds goes first, to keep order.
    private static void ReadUnit(string text, long firstLine, string? source, long maxDocumentBytes, LineDispatcher dispatcher, List<AuditLogRecord> output)
    {
        dispatcher.Flush(output);
        using var stream = new MemoryStream(Encoding.UTF8.GetBytes(text), writable: false);
        output.AddRange(AuditSource.ReadCore(stream, source, firstLine, maxDocumentBytes));
    }

    private static string WithoutFinalNewline(string text) =>
        text.EndsWith("\r\n", StringComparison.Ordinal) ? text[..^2] : text.EndsWith('\n') ? text[..^1] : text;
}
