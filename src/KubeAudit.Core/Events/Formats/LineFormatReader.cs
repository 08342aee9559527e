using System.Buffers;

namespace KubeAudit.Core.Events.Formats;

/// <summary>
/// Reads line-based inputs that are not plain JSON lines: legacy text, <c>&lt;timestamp&gt; &lt;JSON&gt;</c>,
/// and wrapped JSON lines (CloudWatch, Azure, Cloud Logging). Streams: only the current line is held,
/// plus any legacy lines waiting for their basic-audit response line.
/// </summary>
internal static class LineFormatReader
{
    private const int InitialBufferSize = 64 * 1024;

    public static IEnumerable<AuditLogRecord> Read(Stream stream, string? file, long firstLine)
    {
        var dispatcher = new LineDispatcher(file);
        var output = new List<AuditLogRecord>();
        var buffer = ArrayPool<byte>.Shared.Rent(InitialBufferSize);
        int start = 0, end = 0;
        var lineNumber = firstLine - 1;
        var eof = false;
        try
        {
            while (true)
            {
                var newline = buffer.AsSpan(start, end - start).IndexOf((byte)'\n');
                if (newline >= 0)
                {
                    dispatcher.Dispatch(buffer.AsMemory(start, newline), ++lineNumber, null, output);
                    start += newline + 1;
                }
                else if (!eof)
                {
                    buffer = JsonLinesReader.MakeRoom(buffer, ref start, ref end);
                    var read = stream.Read(buffer, end, buffer.Length - end);
                    eof = read == 0;
                    end += read;
                    continue;
                }
                else
                {
                    if (end > start)
                    {
                        dispatcher.Dispatch(buffer.AsMemory(start, end - start), ++lineNumber, null, output);
                    }

                    dispatcher.Flush(output);
                }

                foreach (var record in output)
                {
                    yield return record;
                }

                output.Clear();
                if (eof && newline < 0)
                {
                    yield break;
                }
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }
}
