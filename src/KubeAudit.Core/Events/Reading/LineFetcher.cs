using System.IO.Compression;

namespace KubeAudit.Core.Events.Reading;

/// <summary>
/// Reads one piece of a file a second time, forward only, to hand back the bytes of lines the fast reader
/// rejected (a wrapped record among plain events): each call moves on to a later line, so all calls
/// together cost one more pass over the piece, and only as far as its last rejected line.
/// </summary>
internal sealed class LineFetcher : IDisposable
{
    private readonly Stream _stream;
    private byte[] _buffer = System.Buffers.ArrayPool<byte>.Shared.Rent(64 * 1024);
    private int _start, _end;
    private long _line = 1; // the line that starts at _buffer[_start]
    private bool _eof;

    public LineFetcher(LogSegment segment)
    {
        var file = new FileStream(segment.File, new FileStreamOptions
        {
            Mode = FileMode.Open,
            Access = FileAccess.Read,
            Share = FileShare.ReadWrite | FileShare.Delete,
            BufferSize = 0,
        });
        if (segment.Length is { } length)
        {
            file.Position = segment.Start;
            _stream = new BoundedStream(file, length);
        }
        else
        {
            var gzip = file.ReadByte() == 0x1F && file.ReadByte() == 0x8B;
            file.Position = 0;
            _stream = gzip ? new GZipStream(file, CompressionMode.Decompress) : file;
        }
    }

    /// <summary>The bytes of line <paramref name="line"/> (1 is the piece's first), without its newline; empty when past the end or already passed.</summary>
    public ReadOnlyMemory<byte> GetLine(long line)
    {
        while (true)
        {
            var newline = _buffer.AsSpan(_start, _end - _start).IndexOf((byte)'\n');
            if (newline >= 0 || (_eof && _end > _start))
            {
                var length = newline >= 0 ? newline : _end - _start;
                if (_line == line)
                {
                    return _buffer.AsMemory(_start, length).ToArray();
                }

                if (_line > line)
                {
                    return ReadOnlyMemory<byte>.Empty;
                }

                _start += newline >= 0 ? newline + 1 : length;
                _line++;
                continue;
            }

            if (_eof)
            {
                return ReadOnlyMemory<byte>.Empty;
            }

            _buffer = JsonLinesReader.MakeRoom(_buffer, ref _start, ref _end);
            var read = _stream.Read(_buffer, _end, _buffer.Length - _end);
            _eof = read == 0;
            _end += read;
        }
    }

    public void Dispose()
    {
        _stream.Dispose();
        System.Buffers.ArrayPool<byte>.Shared.Return(_buffer);
    }
}
