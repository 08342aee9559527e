using System.Buffers;
using System.IO.Compression;
using KubeAudit.Core.Events.Filtering;

namespace KubeAudit.Core.Events;

/// <summary>
/// Reads a JSON-lines audit log from a stream, one record per non-blank line, in order.
/// A bad line gives a record with an error and reading goes on. Lines of any length are
/// handled: the buffer grows to fit the longest one.
/// </summary>
public sealed class AuditLogReader : IDisposable
{
    private const int InitialBufferSize = 256 * 1024;
    private static ReadOnlySpan<byte> Utf8Bom => [0xEF, 0xBB, 0xBF];

    private readonly Stream _stream;
    private readonly string? _file;
    private readonly bool _leaveOpen;
    private readonly AuditEventParser _parser = new();
    private readonly AuditEventFilter? _filter;
    private readonly bool _expectBom;

    /// <summary>
    /// Reads from <paramref name="stream"/>; <paramref name="file"/> names it in diagnostics. With a
    /// <paramref name="filter"/>, only matching events come out, and lines ruled out by their bytes
    /// alone are not parsed (so not validated either: that is what makes filtering fast).
    /// </summary>
    public AuditLogReader(Stream stream, string? file, bool leaveOpen = false, AuditEventFilter? filter = null, bool expectBom = true)
    {
        _expectBom = expectBom;
        _stream = stream;
        _file = file;
        _leaveOpen = leaveOpen;
        _filter = filter is { IsEmpty: false } ? filter : null;
    }

    /// <summary>Lines read so far, blank ones included (a last line without a newline counts).</summary>
    public long LinesRead { get; private set; }

    /// <summary>Bytes read from the underlying stream so far (decompressed bytes for .gz).</summary>
    public long BytesRead { get; private set; }

    /// <summary>Position in the file on disk (compressed bytes for .gz), for progress.</summary>
    public long Position => _stream is GZipStream { BaseStream: FileStream fs } ? fs.Position : BytesRead;

    /// <summary>
    /// Opens a log file for reading while the API server may still be appending to it.
    /// Gzip files (rotated backups with --audit-log-compress) are recognised by their magic bytes.
    /// </summary>
    public static AuditLogReader OpenFile(string path, AuditEventFilter? filter = null)
    {
        var stream = new FileStream(path, new FileStreamOptions
        {
            Mode = FileMode.Open,
            Access = FileAccess.Read,
            Share = FileShare.ReadWrite | FileShare.Delete,
            Options = FileOptions.SequentialScan,
            BufferSize = 0, // we buffer ourselves
        });
        return new AuditLogReader(IsGzip(stream) ? new GZipStream(stream, CompressionMode.Decompress) : stream, path, leaveOpen: false, filter);
    }

    /// <summary>The records of the log, one per non-blank line; stops quietly when <paramref name="cancel"/> fires.</summary>
    public IEnumerable<AuditLogRecord> ReadRecords(CancellationToken cancel = default)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(InitialBufferSize);
        int start = 0, end = 0;
        long lineNumber = 0;
        var eof = false;
        var atStart = _expectBom; // a piece from the middle of a file has no BOM to skip
        try
        {
            while (!cancel.IsCancellationRequested)
            {
                var newline = buffer.AsSpan(start, end - start).IndexOf((byte)'\n');
                if (newline >= 0)
                {
                    LinesRead = ++lineNumber;
                    var record = ParseLine(buffer, start, newline, lineNumber);
                    start += newline + 1;
                    if (record is { } r)
                    {
                        yield return r;
                    }

                    continue;
                }

                if (eof)
                {
                    if (end > start)
                    {
                        LinesRead = lineNumber + 1;
                        if (ParseLine(buffer, start, end - start, lineNumber + 1) is { } last)
                        {
                            yield return last;
                        }
                    }

                    yield break;
                }

                buffer = MakeRoom(buffer, ref start, ref end);
                var read = _stream.Read(buffer, end, buffer.Length - end);
                if (read == 0)
                {
                    eof = true;
                    continue;
                }

                BytesRead += read;
                end += read;
                if (atStart && end >= Utf8Bom.Length)
                {
                    atStart = false;
                    if (buffer.AsSpan(0, Utf8Bom.Length).SequenceEqual(Utf8Bom))
                    {
                        start = Utf8Bom.Length;
                    }
                }
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <inheritdoc />
    public void Dispose()
    {
        if (!_leaveOpen)
        {
            _stream.Dispose();
        }
    }

    private AuditLogRecord? ParseLine(byte[] buffer, int start, int length, long lineNumber)
    {
        var line = buffer.AsSpan(start, length).Trim(" \t\r"u8);
        if (line.IsEmpty || (_filter is not null && !_filter.MayMatch(line)))
        {
            return null;
        }

        // The event keeps its bytes (for bodies and lossless export), so it gets its own copy.
        var json = line.ToArray();
        var ev = _parser.Parse(json, _file, lineNumber, out var error);
        if (ev is not null && _filter is not null && !_filter.Matches(ev))
        {
            return null;
        }

        return new AuditLogRecord(ev, error);
    }

    // Moves the unread tail to the front, or grows the buffer when one line fills it.
    private static byte[] MakeRoom(byte[] buffer, ref int start, ref int end)
    {
        if (start > 0)
        {
            buffer.AsSpan(start, end - start).CopyTo(buffer);
            end -= start;
            start = 0;
        }

        if (end < buffer.Length)
        {
            return buffer;
        }

        var bigger = ArrayPool<byte>.Shared.Rent(buffer.Length * 2);
        buffer.AsSpan(0, end).CopyTo(bigger);
        ArrayPool<byte>.Shared.Return(buffer);
        return bigger;
    }

    private static bool IsGzip(FileStream stream)
    {
        Span<byte> magic = stackalloc byte[2];
        var read = stream.Read(magic);
        stream.Position = 0;
        return read == 2 && magic[0] == 0x1F && magic[1] == 0x8B;
    }
}
