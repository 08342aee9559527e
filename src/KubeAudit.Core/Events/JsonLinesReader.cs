using System.Buffers;
using System.Runtime.CompilerServices;
using KubeAudit.Core.Events.Filtering;

namespace KubeAudit.Core.Events;

/// <summary>
/// Reads a JSON-lines audit log from a stream, one record per non-blank line, in order.
/// A bad line gives a record with an error and reading goes on. Lines of any length are
/// handled: the buffer grows to fit the longest one.
/// </summary>
public sealed class JsonLinesReader : IDisposable
{
    private const int InitialBufferSize = 256 * 1024;
    private static ReadOnlySpan<byte> Utf8Bom => [0xEF, 0xBB, 0xBF];

    private readonly Stream _stream;
    private readonly string? _file;
    private readonly bool _leaveOpen;
    private readonly AuditEventParser _parser = new();
    private readonly AuditEventFilter? _filter;
    private readonly bool _expectBom;

    // Scan state of the current ReadRecords enumeration (a reader is read once).
    private byte[] _buffer = [];
    private int _start;
    private int _end;
    private long _lineNumber;
    private bool _eof;
    private bool _atStart;
    private AuditLogRecord? _afterWarning; // the event of a line whose NUL run was just reported

    private enum ScanResult
    {
        Found,
        NeedMore,
        Done,
    }

    /// <summary>
    /// Reads from <paramref name="stream"/>; <paramref name="file"/> names it in diagnostics. With a
    /// <paramref name="filter"/>, only matching events come out, and lines ruled out by their bytes
    /// alone are not parsed (so not validated either: that is what makes filtering fast).
    /// </summary>
    public JsonLinesReader(Stream stream, string? file, bool leaveOpen = false, AuditEventFilter? filter = null, bool expectBom = true)
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
    public long Position => _stream is Reading.GzipInput gzip ? gzip.CompressedPosition : BytesRead;

    /// <summary>
    /// Opens a log file for reading while the API server may still be appending to it.
    /// Gzip files (rotated backups with --audit-log-compress) are recognised by their magic bytes.
    /// </summary>
    public static JsonLinesReader OpenFile(string path, AuditEventFilter? filter = null)
    {
        var stream = new FileStream(path, new FileStreamOptions
        {
            Mode = FileMode.Open,
            Access = FileAccess.Read,
            Share = FileShare.ReadWrite | FileShare.Delete,
            Options = FileOptions.SequentialScan,
            BufferSize = 0, // we buffer ourselves
        });
        return new JsonLinesReader(IsGzip(stream) ? Reading.GzipInput.Open(stream, leaveOpen: false) : stream, path, leaveOpen: false, filter);
    }

    /// <summary>The records of the log, one per non-blank line; stops quietly when <paramref name="cancel"/> fires.</summary>
    public IEnumerable<AuditLogRecord> ReadRecords(CancellationToken cancel = default)
    {
        _buffer = ArrayPool<byte>.Shared.Rent(InitialBufferSize);
        _start = _end = 0;
        _lineNumber = 0;
        _eof = false;
        _atStart = _expectBom; // a piece from the middle of a file has no BOM to skip
        try
        {
            while (!cancel.IsCancellationRequested)
            {
                switch (Scan(out var record))
                {
                    case ScanResult.Found:
                        yield return record;
                        break;
                    case ScanResult.Done:
                        yield break;
                    default:
                        Fill();
                        break;
                }
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(_buffer);
            _buffer = [];
        }
    }

    // The hot loop lives here, not in the iterator: the JIT compiles it optimised at once instead of
    // running a large first read in unoptimised, instrumented code until on-stack replacement.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private ScanResult Scan(out AuditLogRecord record)
    {
        if (_afterWarning is { } held)
        {
            _afterWarning = null;
            record = held;
            return ScanResult.Found;
        }

        while (true)
        {
            var newline = _buffer.AsSpan(_start, _end - _start).IndexOf((byte)'\n');
            if (newline < 0)
            {
                break;
            }

            LinesRead = ++_lineNumber;
            var found = ParseLine(_buffer, _start, newline, _lineNumber);
            _start += newline + 1;
            if (found is { } r)
            {
                record = r;
                return ScanResult.Found;
            }
        }

        record = default;
        if (!_eof)
        {
            return ScanResult.NeedMore;
        }

        if (_end > _start)
        {
            LinesRead = _lineNumber + 1;
            var last = ParseLine(_buffer, _start, _end - _start, _lineNumber + 1);
            _start = _end;
            if (last is { } l)
            {
                record = l;
                return ScanResult.Found;
            }
        }

        return ScanResult.Done;
    }

    private void Fill()
    {
        _buffer = MakeRoom(_buffer, ref _start, ref _end);
        var read = _stream.Read(_buffer, _end, _buffer.Length - _end);
        if (read == 0)
        {
            _eof = true;
            return;
        }

        BytesRead += read;
        _end += read;
        if (_atStart && _end >= Utf8Bom.Length)
        {
            _atStart = false;
            if (_buffer.AsSpan(0, Utf8Bom.Length).SequenceEqual(Utf8Bom))
            {
                _start = Utf8Bom.Length;
            }
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

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private AuditLogRecord? ParseLine(byte[] buffer, int start, int length, long lineNumber)
    {
        var line = buffer.AsSpan(start, length).Trim(" \t\r"u8);
        if (Reading.NulRun.Length(line) is > 0 and var nuls)
        {
            // The warning comes first, then the line read from after the run.
            var skipped = length - buffer.AsSpan(start, length).TrimStart(" \t\r"u8).Length + nuls;
            var warning = new AuditLogRecord(null, Reading.NulRun.Skipped(line[..nuls], _file, lineNumber));
            _afterWarning = ParseLine(buffer, start + skipped, length - skipped, lineNumber);
            return warning;
        }

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

    /// <summary>Moves the unread tail to the front, or grows the pooled buffer when one line fills it.</summary>
    internal static byte[] MakeRoom(byte[] buffer, ref int start, ref int end)
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
