using KubeAudit.Core.Events.Filtering;
using KubeAudit.Core.Events.Follow;

namespace KubeAudit.Core.Events.Reading;

/// <summary>
/// The last N lines of a log, like <c>tail -n</c> or Get-Content -Tail: found by reading backwards,
/// so a tail of a large log costs a few blocks plus a fast newline count for the line numbers.
/// </summary>
public static class TailReader
{
    /// <summary>The records of the last <paramref name="lines"/> non-blank lines of a plain (not gzip) file; the filter applies after.</summary>
    public static IEnumerable<AuditLogRecord> ReadLast(string path, int lines, AuditEventFilter? filter = null, CancellationToken cancel = default)
    {
        long start;
        long length;
        using (var handle = File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete))
        {
            length = RandomAccess.GetLength(handle);
            var endsWithNewline = length == 0 || LastByte(handle, length) == (byte)'\n';
            // An unterminated last line is a line too: count it among the N.
            start = lines == 0 ? length : TailLocator.FindStart(handle, length, endsWithNewline ? lines : lines - 1);
        }

        var linesBefore = CountNewlines(path, start);
        var stream = new FileStream(path, new FileStreamOptions
        {
            Mode = FileMode.Open,
            Access = FileAccess.Read,
            Share = FileShare.ReadWrite | FileShare.Delete,
            BufferSize = 0,
        });
        stream.Position = start;
        using var reader = new JsonLinesReader(new BoundedStream(stream, length - start), path, leaveOpen: false, expectBom: start == 0);
        foreach (var record in reader.ReadRecords(cancel))
        {
            if (record.Event is { } ev)
            {
                if (filter is not null && !filter.Matches(ev))
                {
                    continue;
                }

                ev.Line += linesBefore;
                yield return record;
            }
            else
            {
                yield return record with { Error = record.Error! with { Line = record.Error.Line + linesBefore } };
            }
        }
    }

    private static byte LastByte(Microsoft.Win32.SafeHandles.SafeFileHandle handle, long length)
    {
        Span<byte> one = stackalloc byte[1];
        return RandomAccess.Read(handle, one, length - 1) == 1 ? one[0] : (byte)'\n';
    }

    private static long CountNewlines(string path, long upTo)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, 1, FileOptions.SequentialScan);
        var buffer = new byte[1 << 20];
        long count = 0;
        var remaining = upTo;
        while (remaining > 0)
        {
            var read = stream.Read(buffer, 0, (int)Math.Min(buffer.Length, remaining));
            if (read == 0)
            {
                break;
            }

            count += buffer.AsSpan(0, read).Count((byte)'\n');
            remaining -= read;
        }

        return count;
    }
}
